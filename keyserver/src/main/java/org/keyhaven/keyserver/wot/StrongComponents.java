package org.keyhaven.keyserver.wot;

import java.util.Arrays;

/** Tarjan's strongly-connected-components algorithm, iterative so deep graphs cannot overflow. */
final class StrongComponents {

  private StrongComponents() {}

  /** Key indices of the largest strongly connected component of {@code g} (empty if no keys). */
  static int[] largest(EffectiveGraph g) {
    Network net = g.net;
    int n = net.keyCount();
    int[] index = new int[n];
    int[] low = new int[n];
    Arrays.fill(index, -1);
    boolean[] onStack = new boolean[n];
    int[] stack = new int[n];
    int sp = 0;
    int[] callKey = new int[n];
    int[] callEdge = new int[n];
    int counter = 0;
    int[] best = new int[0];
    for (int root = 0; root < n; root++) {
      if (index[root] >= 0) {
        continue;
      }
      int depth = 0;
      callKey[0] = root;
      callEdge[0] = g.outStart[root];
      index[root] = low[root] = counter++;
      stack[sp++] = root;
      onStack[root] = true;
      while (depth >= 0) {
        int k = callKey[depth];
        if (callEdge[depth] < g.outStart[k + 1]) {
          int t = net.uidKey[g.outUid[callEdge[depth]++]];
          if (index[t] < 0) {
            index[t] = low[t] = counter++;
            stack[sp++] = t;
            onStack[t] = true;
            depth++;
            callKey[depth] = t;
            callEdge[depth] = g.outStart[t];
          } else if (onStack[t]) {
            low[k] = Math.min(low[k], index[t]);
          }
          continue;
        }
        if (low[k] == index[k]) {
          int start = sp;
          do {
            start--;
          } while (stack[start] != k);
          if (sp - start > best.length) {
            best = Arrays.copyOfRange(stack, start, sp);
          }
          for (int i = start; i < sp; i++) {
            onStack[stack[i]] = false;
          }
          sp = start;
        }
        depth--;
        if (depth >= 0) {
          int parent = callKey[depth];
          low[parent] = Math.min(low[parent], low[k]);
        }
      }
    }
    return best;
  }
}
