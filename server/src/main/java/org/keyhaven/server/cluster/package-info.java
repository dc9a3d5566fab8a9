/** Coordination of several nodes on one database: job leases and the change feed. */
package org.keyhaven.server.cluster;
