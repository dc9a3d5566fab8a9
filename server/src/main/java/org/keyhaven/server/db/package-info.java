/** Connection pool and schema migration at start-up. */
package org.keyhaven.server.db;
