// Row 14: the generated Kotlin module's compat parse against the one-liner a Kotlin client writes
// today (a Regex over key="value" pairs and URLDecoder on each value), timed in one JVM with
// System.nanoTime after a warm-up, each sample timing both sides in interleaved slices (the
// TypeScript harness's pairSync). Prints {"ours": [ns per call…], "peer": [ns per call…]}.
package bench

import mediabrowserauthorization.Result
import mediabrowserauthorization.parse
import java.net.URLDecoder

private val PAIR = Regex("""(\w+)="([^"]*)"""")

/** The hand-written parser: what a Kotlin client writes instead of a library. */
fun regexParse(header: String): Map<String, String> =
    PAIR.findAll(header.substringAfter(' ')).associate { it.groupValues[1] to URLDecoder.decode(it.groupValues[2], Charsets.UTF_8) }

private fun ours(header: String): Any = parse(header)

// The last results, kept so that the calls' work cannot be optimised away.
private val keep = arrayOfNulls<Any>(16)

private fun time(f: (String) -> Any, header: String, n: Int): Long {
    val start = System.nanoTime()
    for (i in 0 until n) keep[i and 15] = f(header)
    return System.nanoTime() - start
}

fun main(args: Array<String>) {
    val (header, samples, warmupMs, batchMs) = args.let { listOf(it[0], it[1], it[2], it[3]) }
    val expected = (parse(header) as? Result.Ok)?.value?.dictionary
    check(expected == regexParse(header)) { "the regex one-liner reads the header differently: $expected" }
    val peer: (String) -> Any = ::regexParse
    val our: (String) -> Any = ::ours
    var n = 1
    val target = batchMs.toLong() * 1_000_000
    while (n < 1 shl 24) {
        val slowest = maxOf(time(our, header, n), time(peer, header, n))
        if (slowest >= target) break
        n = if (slowest * 4 < target) n * 4 else n * 2
    }
    val warmUntil = System.currentTimeMillis() + warmupMs.toLong()
    while (System.currentTimeMillis() < warmUntil) {
        time(our, header, n)
        time(peer, header, n)
    }
    val slices = 8
    val perSlice = maxOf(1, n / slices)
    val o = ArrayList<Double>()
    val p = ArrayList<Double>()
    for (s in 0 until samples.toInt()) {
        var oursNs = 0L
        var peerNs = 0L
        for (k in 0 until slices) {
            if ((s + k) % 2 == 0) {
                oursNs += time(our, header, perSlice)
                peerNs += time(peer, header, perSlice)
            } else {
                peerNs += time(peer, header, perSlice)
                oursNs += time(our, header, perSlice)
            }
        }
        o.add(oursNs.toDouble() / (perSlice * slices))
        p.add(peerNs.toDouble() / (perSlice * slices))
    }
    println("{\"ours\":${o.joinToString(",", "[", "]")},\"peer\":${p.joinToString(",", "[", "]")},\"kept\":${keep.count { it != null }}}")
}
