/**
 * What two or more modules share and that carries no domain meaning: the error type, an immutable
 * byte wrapper, hex helpers. JDK only; keep it small.
 */
package org.keyhaven.common;
