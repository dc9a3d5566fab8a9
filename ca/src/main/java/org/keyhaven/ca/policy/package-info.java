/**
 * Issuance policy as small validators composed per CA policy kind (high-assurance, standard,
 * persona) in the style of step-ca's sign options. A refusal is a POLICY_VIOLATION whose detail
 * starts with {@code rule <name>:}; the package may import {@code issuance} request types,
 * {@code hierarchy} values and common, never storage or HTTP.
 */
package org.keyhaven.ca.policy;
