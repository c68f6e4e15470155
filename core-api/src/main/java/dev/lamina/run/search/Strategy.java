package dev.lamina.run.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How a search picks its trials from the space: {@code {grid: {points: 3}}} takes every
 * combination of each setting's grid (a choice's values, or {@code points} values over a range),
 * {@code {random: {trials: 12, seed: 1}}} draws that many trials, the same ones for the same seed.
 */
public sealed interface Strategy {
    /** The trials' values, in order: one map from path to value per trial, in the space's order. */
    List<Map<String, Object>> trials(Map<String, Space> space);

    /** Every combination of the settings' grids, the last setting varying fastest. */
    record Grid(int points) implements Strategy {
        public Grid {
            if (points < 1) {
                throw new IllegalArgumentException("expected a positive number of points per"
                        + " range, received points=" + points);
            }
        }

        @Override
        public List<Map<String, Object>> trials(Map<String, Space> space) {
            List<Map<String, Object>> out = new ArrayList<>();
            out.add(new LinkedHashMap<>());
            for (Map.Entry<String, Space> e : space.entrySet()) {
                List<Map<String, Object>> next = new ArrayList<>();
                for (Map<String, Object> partial : out) {
                    for (Object v : e.getValue().grid(points)) {
                        Map<String, Object> t = new LinkedHashMap<>(partial);
                        t.put(e.getKey(), v);
                        next.add(t);
                    }
                }
                out = next;
            }
            return out;
        }
    }

    /**
     * {@code trials} draws, each setting in the space's order, from one {@link Random} seeded
     * with {@code seed}.
     */
    record RandomSearch(int trials, long seed) implements Strategy {
        public RandomSearch {
            if (trials < 1) {
                throw new IllegalArgumentException("expected a positive number of trials,"
                        + " received trials=" + trials);
            }
        }

        @Override
        public List<Map<String, Object>> trials(Map<String, Space> space) {
            Random r = new Random(seed);
            List<Map<String, Object>> out = new ArrayList<>();
            for (int i = 0; i < trials; i++) {
                Map<String, Object> t = new LinkedHashMap<>();
                space.forEach((path, s) -> t.put(path, s.sample(r)));
                out.add(t);
            }
            return out;
        }
    }
}
