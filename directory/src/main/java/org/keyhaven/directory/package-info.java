/**
 * The directory façade: what the CA and the keyserver publish ({@link
 * org.keyhaven.directory.DirectoryPublisher}) and the lookups mail clients make ({@link
 * org.keyhaven.directory.CertificateDirectory}). May import common and the JDK only.
 */
package org.keyhaven.directory;
