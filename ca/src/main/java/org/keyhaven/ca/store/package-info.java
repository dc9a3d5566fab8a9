/**
 * Storage ports owned by the CA: certificates with their status, CAs, approvals and the
 * publication outbox. Absence is {@code Optional.empty()}; constraint violations are CONFLICT.
 * Imports only CA value types and common; {@code store.jdbc} implements these ports.
 */
package org.keyhaven.ca.store;
