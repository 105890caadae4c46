package checks

import org.junit.jupiter.api.Test
import java.io.ByteArrayOutputStream
import java.io.File
import java.io.PrintStream

// Runs the README's Kotlin usage snippet (written into the project as readme/Snippet.kt by the
// vitest side) and keeps what it printed for the vitest side to compare with the README.
class ReadmeTest {
    @Test
    fun snippet() {
        val buffer = ByteArrayOutputStream()
        val stdout = System.out
        System.setOut(PrintStream(buffer, true, "UTF-8"))
        try {
            readme.main()
        } finally {
            System.setOut(stdout)
        }
        File(work, "target/mbauth").mkdirs()
        File(work, "target/mbauth/readme.out.txt").writeBytes(buffer.toByteArray())
    }
}
