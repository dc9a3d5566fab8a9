package org.keyhaven.keyserver.wot;

import java.time.Instant;

/** One certification on a path: {@code signer} certified {@code userId} of {@code target}. */
public record Hop(String signer, String target, String userId, Instant certified) {}
