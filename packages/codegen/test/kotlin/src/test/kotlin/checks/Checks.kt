package checks

import java.io.File

// Replays a file of cases (the vectors, the shared seed corpus, the interop headers) against one
// generated module and reports every mismatch. A case's result is computed by the module's own
// typed API (SpecUnderTest, one per module) and compared as JSON with the TypeScript result.

/** One generated module, seen through its typed API, with results shaped like the vectors'. */
interface SpecUnderTest {
    val name: String
    val schemes: List<String>
    val parameters: List<String>
    val profiles: List<String>
    val operations: List<String>
    val styles: List<String>
    val tokenParameter: String
    /** The header names extract reads: the transports' and the separate values'. */
    val headerKeys: List<String>
    /** The query names extract reads: the transports' and the separate values'. */
    val queryKeys: List<String>
    fun parse(input: String, mode: String, legacy: Boolean?): Any?
    fun format(params: Map<String, String>, style: String, scheme: String? = null): Any?
    fun validate(params: Map<String, String>, operation: String): Any?
    fun extract(headers: Map<String, List<String>>, query: Map<String, List<String>>, profile: String, legacy: Boolean?): Any?
}

val work: File = File(System.getProperty("mbauth.work") ?: ".")

/** What a check found: cases per kind, and the mismatches (the first few in full). */
class Report(val name: String) {
    val counts = LinkedHashMap<String, Int>()
    var mismatchCount = 0
    val mismatches = ArrayList<Map<String, Any?>>()

    fun record(kind: String, ok: Boolean, details: () -> Map<String, Any?>) {
        counts[kind] = (counts[kind] ?: 0) + 1
        if (ok) return
        mismatchCount++
        if (mismatches.size < 20) mismatches.add(mapOf("kind" to kind) + details())
    }

    fun write(): Report {
        val dir = File(work, "target/mbauth").apply { mkdirs() }
        File(dir, "$name.json").writeText(toJson(mapOf("counts" to counts, "mismatchCount" to mismatchCount, "mismatches" to mismatches)))
        return this
    }
}

// Calls `f`, turning anything it throws into a value that matches no expected result.
fun guarded(f: () -> Any?): Any? = try {
    f()
} catch (e: Throwable) {
    mapOf("threw" to e.toString())
}

@Suppress("UNCHECKED_CAST")
private fun strings(value: Any?): Map<String, String> = (value as Map<String, Any?>).mapValues { it.value as String }

// A header or query record as the vectors write it: a string, or an array for repeated values.
@Suppress("UNCHECKED_CAST")
private fun record(value: Any?): Map<String, List<String>> =
    ((value ?: emptyMap<String, Any?>()) as Map<String, Any?>).mapValues { (_, v) -> if (v is String) listOf(v) else (v as List<String>) }

/** Replays every case of the JSON file at [path] against [spec]. */
@Suppress("UNCHECKED_CAST")
fun replay(spec: SpecUnderTest, path: File, report: Report): Report {
    val file = parseJson(path.readText()) as Map<String, Any?>
    for (v in (file["parse"] as List<Map<String, Any?>>?).orEmpty()) {
        val options = v["options"] as Map<String, Any?>
        val input = v["input"] as String
        val actual = guarded { spec.parse(input, options["mode"] as String, options["legacy"] as Boolean?) }
        report.record("parse", jsonEquals(actual, v["result"])) {
            mapOf("input" to input, "options" to options, "expected" to v["result"], "actual" to actual)
        }
    }
    for (v in (file["format"] as List<Map<String, Any?>>?).orEmpty()) {
        val options = v["options"] as Map<String, Any?>
        val actual = guarded { spec.format(strings(v["params"]), options["style"] as String) }
        report.record("format", jsonEquals(actual, v["result"])) {
            mapOf("params" to v["params"], "options" to options, "expected" to v["result"], "actual" to actual)
        }
    }
    for (v in (file["validate"] as List<Map<String, Any?>>?).orEmpty()) {
        val actual = guarded { spec.validate(strings(v["params"]), v["operation"] as String) }
        report.record("validate", jsonEquals(actual, v["issues"])) {
            mapOf("params" to v["params"], "operation" to v["operation"], "expected" to v["issues"], "actual" to actual)
        }
    }
    for (v in (file["extract"] as List<Map<String, Any?>>?).orEmpty()) {
        val request = v["request"] as Map<String, Any?>
        val options = v["options"] as Map<String, Any?>
        val actual = guarded {
            spec.extract(record(request["headers"]), record(request["query"]), options["profile"] as String, options["legacy"] as Boolean?)
        }
        report.record("extract", jsonEquals(actual, v["result"])) {
            mapOf("description" to v["description"], "options" to options, "expected" to v["result"], "actual" to actual)
        }
    }
    return report
}
