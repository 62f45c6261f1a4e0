package asyncio.tests;

import java.util.SplittableRandom;

/**
 * Where a fuzz target draws its choices from. The suite's bounded run draws them from a seeded
 * {@link SplittableRandom} ({@link #seeded}); each case has its own seed, printed when it fails,
 * so that one case replays alone. How many cases run, and from which seed, are system properties:
 * {@code -Dasyncio.fuzz.tries=N} (each target's default is a few seconds' worth) and
 * {@code -Dasyncio.fuzz.seed=S} (default fixed, so that the suite is deterministic).
 */
interface FuzzInput {
    /** An int in {@code [min, max]}. */
    int intInRange(int min, int max);

    /** True or false. */
    boolean bool();

    /** One of {@code choices}. */
    default <T> T pick(T[] choices) {
        return choices[intInRange(0, choices.length - 1)];
    }

    /** {@code length} bytes, each one of {@code alphabet}, or any byte when {@code alphabet} is null. */
    default byte[] bytes(int length, byte[] alphabet) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet == null ? (byte) intInRange(0, 255) : alphabet[intInRange(0, alphabet.length - 1)];
        }
        return out;
    }

    /** Choices from a seeded generator: the same seed, the same case. */
    static FuzzInput seeded(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new FuzzInput() {
            @Override
            public int intInRange(int min, int max) {
                return min + random.nextInt(max - min + 1);
            }

            @Override
            public boolean bool() {
                return random.nextBoolean();
            }
        };
    }

    /** How many cases a target runs: {@code -Dasyncio.fuzz.tries}, else {@code defaultTries}. */
    static int tries(int defaultTries) {
        return Integer.getInteger("asyncio.fuzz.tries", defaultTries);
    }

    /** The seed of the first case: {@code -Dasyncio.fuzz.seed}, else a fixed one. */
    static long firstSeed() {
        return Long.getLong("asyncio.fuzz.seed", 18L);
    }

    /** What to add to a failure: how to replay exactly this case. */
    static String replay(long seed) {
        return " (replay this case alone with -Dasyncio.fuzz.seed=" + seed + " -Dasyncio.fuzz.tries=1)";
    }
}
