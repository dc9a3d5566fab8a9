package org.keyhaven.directory;

import org.keyhaven.directory.ldap.LdapDirectoryPublisher;

/** Opens the package-private conformance suite to backends in other packages. */
public abstract class DirectoryConformanceAccess extends DirectoryConformance {
  protected static final String BASE = DirectoryConformance.BASE;

  @Override
  protected abstract LdapDirectoryPublisher publisher();

  @Override
  protected abstract int port();

  @Override
  protected abstract String writerUrl();
}
