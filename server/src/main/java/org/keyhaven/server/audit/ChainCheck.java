package org.keyhaven.server.audit;

/**
 * The result of walking the audit hash chain.
 *
 * @param intact true if every link verifies and nothing is missing
 * @param entries how many entries were checked
 * @param firstBrokenSeq the sequence number of the first bad link, or -1
 * @param problem what is wrong there, or null
 */
public record ChainCheck(boolean intact, long entries, long firstBrokenSeq, String problem) {}
