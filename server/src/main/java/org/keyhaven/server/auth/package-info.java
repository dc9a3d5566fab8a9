/** API tokens, roles and the authentication check that guards admin routes. */
package org.keyhaven.server.auth;
