/** HTTP plumbing shared by every area's routes: error mapping, JSON bodies, metrics. */
package org.keyhaven.server.http;
