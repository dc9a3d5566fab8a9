/** Server-rendered web pages (jte templates): public pages and the admin console. */
package org.keyhaven.server.web;
