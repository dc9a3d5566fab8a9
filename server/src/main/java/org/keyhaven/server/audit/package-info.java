/** The hash-chained audit log stored in the database. */
package org.keyhaven.server.audit;
