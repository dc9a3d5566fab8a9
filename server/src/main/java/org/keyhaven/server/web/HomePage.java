package org.keyhaven.server.web;

/** The home page's facts: where each protocol is served. */
public record HomePage(String org, String mailDomain, String baseUrl, String hkpUrl, String ldapUrl,
    String ldapHost, int ldapPort, String baseDn) {}
