package org.keyhaven.server.cli;

import picocli.CommandLine.Command;

/** The root {@code keyhaven} command; areas register their subcommands here. */
@Command(name = "keyhaven", mixinStandardHelpOptions = true, version = "keyhaven 0.1.0",
    description = "Keyhaven: X.509 CA, OCSP, LDAP directory and HKP keyserver for secure email.",
    subcommands = {
      ServeCommand.class,
      TokenCommand.class,
      CaCommand.class, CertCommand.class, ApprovalCommand.class,
      AuditCommand.class,
      LookupCommand.class,
      WotCommand.class,
      KeysCommand.class,
    })
public final class KeyhavenCommand {}
