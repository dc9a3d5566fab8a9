/** Recipient lookup API and Web Key Directory routes. */
package org.keyhaven.server.http.recipients;
