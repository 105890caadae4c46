package checks

import java.util.SplittableRandom

// The seeded generator of the Kotlin fuzz check: strings over the characters that matter to the
// grammar (quotes, commas, `=`, escapes, white space .NET and ECMAScript disagree on, lone
// surrogates, non-BMP), headers close to valid ones, and random requests. Every operation must
// return a value for every input; what it returns must hold the invariants below.

private val QUIRKY = listOf(
    "\"", "\"", ",", ",", "=", "=", "%", "+", " ", " ", "T", "o", "k", "e", "n", "a", "0", "9", "C", "3", "E", "2", "8", "A",
    "é", "\uD83D\uDCFA", "\u0085", "\u00a0", "\ufeff", "\\", "\t", "\ud800", "\udc00", "\u0000", "\r\n", "%20", "%2", "%zz",
    "%C3", "%C3%A9", "%E2%82", "%F0%9F%93%BA", "%FF", "%00", "%22", "%2C", "%ED%A0%80", "\uffff", "\u2028", "\u3000",
)

class Generator(seed: Long) {
    private val random = SplittableRandom(seed)

    fun int(bound: Int): Int = random.nextInt(bound)

    fun <A> pick(items: List<A>): A = items[random.nextInt(items.size)]

    /** Any UTF-16 string: code units of every range, lone surrogates included, or the grammar's alphabet. */
    fun anyString(max: Int = 40): String {
        val n = random.nextInt(max + 1)
        val out = StringBuilder()
        when (random.nextInt(3)) {
            0 -> repeat(n) { out.append(random.nextInt(0x10000).toChar()) }
            1 -> repeat(n) { out.append(if (random.nextInt(4) == 0) random.nextInt(0x80).toChar() else pick(QUIRKY)) }
            else -> repeat(n) { out.append(pick(QUIRKY)) }
        }
        return out.toString()
    }

    /** A header value near the spec's: a scheme in some case (or a foreign one), then segments and separators. */
    fun header(spec: SpecUnderTest): String {
        val scheme = pick(spec.schemes).let {
            when (random.nextInt(5)) {
                0 -> it.lowercase()
                1 -> it.uppercase()
                2 -> pick(listOf("Bearer", "Basic", "", " $it", "$it\t"))
                else -> it
            }
        }
        val out = StringBuilder(scheme).append(pick(listOf(" ", " ", " ", "  ", "")))
        repeat(random.nextInt(7)) {
            val key = if (random.nextInt(4) == 0) anyString(6) else pick(spec.parameters)
            val quote = pick(listOf("\"", "\"", "", "\"\""))
            out.append(key).append(pick(listOf("=", "=", " =", "= ", ""))).append(quote).append(anyString(12))
                .append(if (random.nextInt(5) == 0) "" else quote).append(pick(listOf(", ", ",", " , ", ",,", "")))
        }
        return out.toString()
    }

    fun params(spec: SpecUnderTest): Map<String, String> =
        spec.parameters.filter { random.nextBoolean() }.associateWith { anyString(10) } +
            (if (random.nextInt(4) == 0) mapOf(anyString(4) to anyString(4)) else emptyMap())

    fun values(): List<String> = List(random.nextInt(3)) { if (random.nextBoolean()) anyString(20) else "" }
}

private val NO_DICTIONARY = setOf("MissingScheme", "UnknownScheme", "LegacySchemeDisabled")

@Suppress("UNCHECKED_CAST")
private fun field(value: Any?, vararg path: String): Any? = path.fold(value) { v, k -> (v as? Map<String, Any?>)?.get(k) }

// extract's parameters and parameterValues agree: values in declared parameter order, never the
// token; per parameter one value taken (the first non-empty one read, else the first), the one in
// parameters; one ConflictingValues per shadowed non-empty value that differs from it, and
// SeparateValuesNotRead exactly when a value went unread.
@Suppress("UNCHECKED_CAST")
private fun parametersHold(spec: SpecUnderTest, x: Any?): Boolean {
    val parameters = field(x, "parameters") as? Map<String, String> ?: return false
    val values = field(x, "parameterValues") as? List<Map<String, String>> ?: return false
    val codes = (field(x, "warnings") as? List<Map<String, String>> ?: return false).map { it["code"] }
    val order = values.map { spec.parameters.indexOf(it["parameter"]) }
    if (order.any { it < 0 } || order != order.sorted() || spec.tokenParameter in parameters) return false
    var conflicts = 0
    for ((parameter, group) in values.groupBy { it["parameter"]!! }) {
        val read = group.filter { it["ignored"] != "NotReadByProfile" }
        val taken = read.filter { it["ignored"] == null }
        if (read.isEmpty()) {
            if (parameter in parameters || taken.isNotEmpty()) return false
            continue
        }
        val expected = read.firstOrNull { it["value"] != "" } ?: read.first()
        if (taken != listOf(expected) || parameters[parameter] != expected["value"]) return false
        conflicts += read.count { it !== expected && it["value"] != "" && it["value"] != expected["value"] }
    }
    if (parameters.keys.any { key -> values.none { it["parameter"] == key } }) return false
    val unread = values.any { it["ignored"] == "NotReadByProfile" }
    return codes.count { it == "ConflictingValues" } == conflicts && ("SeparateValuesNotRead" in codes) == unread
}

/** Runs [cases] generated cases against [spec]; every broken invariant (or exception) is a mismatch. */
fun fuzz(spec: SpecUnderTest, seed: Long, cases: Int, report: Report): Report {
    val g = Generator(seed)
    repeat(cases) {
        val value = if (g.int(2) == 0) g.anyString() else g.header(spec)
        for (legacy in listOf(true, false)) {
            for (mode in listOf("compat", "strict")) {
                val r = guarded { spec.parse(value, mode, legacy) }
                val code = field(r, "error", "code")
                val offset = field(r, "error", "offset") as? Int
                val ok = field(r, "ok") != null ||
                    (code != null && offset != null && offset in 0..value.length && (mode == "strict" || code in NO_DICTIONARY))
                report.record("parse", ok) { mapOf("input" to value, "mode" to mode, "legacy" to legacy, "actual" to r) }
            }
        }
        // A formatted header reads back as the same parameters.
        val params = g.params(spec)
        val known = params.filterKeys { it in spec.parameters }
        for (style in spec.styles) {
            val f = guarded { spec.format(params, style, g.pick(spec.schemes)) }
            val header = field(f, "ok") as? String
            val ok = if (header == null || style != "canonical") {
                field(f, "error", "code") != null || header != null
            } else {
                jsonEquals(field(spec.parse(header, "compat", true), "ok", "params"), known)
            }
            report.record("format", ok) { mapOf("params" to params, "style" to style, "actual" to f) }
        }
        for (operation in spec.operations) {
            val v = guarded { spec.validate(params, operation) }
            report.record("validate", v is List<*>) { mapOf("params" to params, "actual" to v) }
        }
        val headers = (spec.headerKeys + g.anyString(6)).filter { g.int(2) == 0 }
            .associate { (if (g.int(3) == 0) it.uppercase() else it) to listOf(g.header(spec), g.anyString()).take(1 + g.int(2)) }
        val query = (spec.queryKeys + g.anyString(6)).filter { g.int(2) == 0 }.associateWith { g.values() }
        for (profile in spec.profiles) {
            val legacy = listOf(null, true, false)[g.int(3)]
            val x = guarded { spec.extract(headers, query, profile, legacy) }
            val token = field(x, "token", "value")
            val ok = field(x, "hasToken") is Boolean && (token == null || token != "") && parametersHold(spec, x)
            report.record("extract", ok) { mapOf("headers" to headers, "query" to query, "profile" to profile, "actual" to x) }
            // Counted, so that the vitest side sees the separate values were exercised.
            val separate = (field(x, "parameterValues") as? List<*>).orEmpty().count { field(it, "via") != "scheme" }
            if (separate > 0) report.record("separateValues", true) { emptyMap() }
        }
    }
    return report
}
