package org.keyhaven.keyserver.wot;

/**
 * One level of the iteration, as GnuPG's {@code --check-trustdb} prints it: the number of
 * introducers whose certifications were considered ({@code valid}) and the number of keys with at
 * least one user ID certified by them ({@code signed}).
 */
public record DepthStats(int depth, int valid, int signed) {}
