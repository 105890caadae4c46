package checks

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory
import java.io.File

// One dynamic test per spec and file: the vectors, the shared seed corpus, the interop headers
// (each as written by the vitest side into inputs/), and the seeded fuzz run. Each writes its
// report to target/mbauth/ for the vitest side to read, then fails on any mismatch.
class ModulesTest {
    private val seed = (System.getProperty("mbauth.seed") ?: "20261207").toLong()
    private val fuzzCases = (System.getProperty("mbauth.fuzzCases") ?: "3000").toInt()

    @TestFactory
    fun modules(): List<DynamicTest> = SPECS.flatMap { spec ->
        val files = listOf("vectors", "corpus", "interop").mapNotNull { kind ->
            File(work, "inputs/${spec.name}.$kind.json").takeIf { it.exists() }?.let { kind to it }
        }
        files.map { (kind, file) ->
            DynamicTest.dynamicTest("${spec.name} $kind") {
                val report = replay(spec, file, Report("${spec.name}.$kind")).write()
                assertEquals(0, report.mismatchCount, toJson(report.mismatches.take(3)))
            }
        } + DynamicTest.dynamicTest("${spec.name} fuzz") {
            val report = fuzz(spec, seed, fuzzCases, Report("${spec.name}.fuzz")).write()
            assertEquals(0, report.mismatchCount, toJson(report.mismatches.take(3)))
        }
    }
}
