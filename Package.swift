// swift-tools-version:6.0
// attn — self-attention, traced step by step.
//
// Imports point one way (→ "imports"; every target declares exactly what it imports):
//   attn (CLI)      → Serve, WorkbookRunner, Site, Lessons, SpecLoader, TraceFormat, Terminal,
//                     Markdown, AttentionEngine, Diagnostics, ArgumentParser
//   Serve           → Site, Lessons, Markdown                    (HTTP server, live reload, watcher)
//   WorkbookRunner  → WorkbookChecks, Terminal, Diagnostics      (attn check: compiles and runs each exercise)
//   Terminal        → TraceFormat, Diagnostics                   (standard output/error, status line)
//   Site            → Lessons, WorkbookChecks, SpecLoader, TraceFormat, MathML, Markdown, HTML, AttentionEngine,
//                     Diagnostics                                (WorkbookChecks: the names of mistakes, for worksheets)
//   Lessons         → SpecLoader, Markdown, AttentionEngine, Diagnostics, Yams
//   SpecLoader      → AttentionEngine, Diagnostics, Yams
//   TraceFormat     → AttentionEngine
//   MathML          → HTML, Diagnostics
//   Markdown        → CCmarkGFM, CmarkArena, CmarkThreadSafety, Diagnostics
//   AttentionEngine → COpenBLAS
//   WorkbookSolutions → WorkbookChecks → AttentionEngine
// The student's exercises (Sources/Workbook, workbook/python) are no target: attn check
// compiles (or runs) each one on its own, so one that does not compile breaks nothing else.
// No library imports attn. AttentionEngine does no I/O and knows nothing of YAML, JSON or HTML.
import PackageDescription

let package = Package(
    name: "attn",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "attn", targets: ["attn"]),
        .library(name: "AttentionEngine", targets: ["AttentionEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // OpenBLAS's dgemm (Debian: libopenblas-dev), loaded on first use with one thread and
        // the kernels for this processor (openblas.c says why). Only Matrix.swift calls it.
        .target(name: "COpenBLAS", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        // libcmark-gfm and its GFM extensions (Debian: libcmark-gfm-dev, libcmark-gfm-extensions-dev).
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // libcmark-gfm on every core (special_characters.c: an interposer that keeps parsers from
        // writing shared state; the executable must export it for libcmark-gfm's calls to
        // reach it). Exists for `attn build`'s speed; without it Markdown parses behind a lock.
        .target(
            name: "CmarkThreadSafety",
            linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic-symbol=cmark_manage_extensions_special_characters"], .when(platforms: [.linux]))]
        ),
        // A per-thread arena for libcmark-gfm's allocations (arena.c), released once per document.
        // Exists for `attn build`'s speed; without it cmark's default allocator does the same job.
        .target(name: "CmarkArena", dependencies: ["CCmarkGFM"]),
        // Source locations and compiler-style error messages (path:line:column: message).
        .target(name: "Diagnostics"),
        // Matrices, the attention spec, the forward pass and its trace. Pure computation.
        .target(
            name: "AttentionEngine",
            dependencies: ["COpenBLAS"]
        ),
        // YAML spec → AttentionSpec, with every error pointing at its line and column.
        .target(
            name: "SpecLoader",
            dependencies: ["AttentionEngine", "Diagnostics", .product(name: "Yams", package: "Yams")]
        ),
        // Traces as JSON (the public contract), terminal text and one-line summaries.
        .target(name: "TraceFormat", dependencies: ["AttentionEngine"]),
        // HTML as a node tree with one escaping serializer: the only way text reaches a page.
        .target(name: "HTML", dependencies: ["Markdown"]),
        // A documented TeX subset → MathML nodes.
        .target(name: "MathML", dependencies: ["HTML", "Diagnostics"]),
        // The one place that talks to libcmark-gfm: markdown → blocks with source locations.
        .target(name: "Markdown", dependencies: ["CCmarkGFM", "CmarkArena", "CmarkThreadSafety", "Diagnostics"]),
        // Lessons: the lessons folder, front matter, attention and exercise blocks, math and
        // trace references; new lessons; grading a student's answers file.
        .target(
            name: "Lessons",
            dependencies: ["AttentionEngine", "Diagnostics", "Markdown", "SpecLoader", .product(name: "Yams", package: "Yams")]
        ),
        // The site: lessons → static HTML pages with worked matrices, written atomically.
        .target(
            name: "Site",
            dependencies: ["AttentionEngine", "Diagnostics", "HTML", "Lessons", "Markdown", "MathML", "SpecLoader", "TraceFormat", "WorkbookChecks"]
        ),
        // Standard output and error for the terminal, and the status line of long work.
        .target(name: "Terminal", dependencies: ["Diagnostics", "TraceFormat"]),
        // `attn serve`: an HTTP/1.1 server on POSIX sockets, the course served with live
        // reload, rebuilt when the lessons folder changes.
        .target(name: "Serve", dependencies: ["Lessons", "Markdown", "Site"]),
        // The command-line tool: one file per subcommand, each parsing its arguments and
        // calling into the libraries.
        .executableTarget(
            name: "attn",
            dependencies: [
                "AttentionEngine", "Diagnostics", "Lessons", "Markdown", "Serve", "Site", "SpecLoader",
                "Terminal", "TraceFormat", "WorkbookRunner",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `make bench`: times Attention.run on BERT-base sized layers, printing JSON lines.
        .executableTarget(name: "AttnBench", dependencies: ["AttentionEngine"]),
        // The workbook (issues 5 and 14): the checks that compare an exercise's results with the
        // engine, and the reference solutions (Swift here; python/ for the NumPy edition, which
        // the tests run). The student's files are not a target (see the top of this file).
        .target(name: "WorkbookChecks", dependencies: ["AttentionEngine"]),
        .target(name: "WorkbookSolutions", dependencies: ["WorkbookChecks"], exclude: ["python"]),
        // `attn check`: compiles each Swift exercise on its own (or starts Python on it), talks
        // to it in JSON lines, judges its results with WorkbookChecks, and words the progress.
        .target(name: "WorkbookRunner", dependencies: ["Diagnostics", "Terminal", "WorkbookChecks"]),
        // What several test targets share: the repository's root, the built attn, running a program.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "WorkbookTests", dependencies: ["TestSupport", "WorkbookChecks", "WorkbookSolutions", "WorkbookRunner", "AttentionEngine", "Lessons", "attn"],
                    exclude: ["python"]),
        .testTarget(name: "EngineTests", dependencies: ["TestSupport", "AttentionEngine", "COpenBLAS", "SpecLoader"]),
        .testTarget(name: "SpecLoaderTests", dependencies: ["TestSupport", "SpecLoader", "AttentionEngine", "Diagnostics"], exclude: ["Fixtures"]),
        .testTarget(name: "TraceFormatTests", dependencies: ["TestSupport", "TraceFormat", "SpecLoader", "AttentionEngine"], exclude: ["Golden"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "attn"]),
        .testTarget(name: "ServeTests", dependencies: ["TestSupport", "Serve", "Site", "Lessons", "SpecLoader", "AttentionEngine"]),
        .testTarget(name: "HTMLTests", dependencies: ["HTML", "Markdown"]),
        .testTarget(name: "LessonsTests", dependencies: ["Lessons", "Diagnostics", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "SiteTests", dependencies: ["TestSupport", "Site", "AttentionEngine", "Diagnostics", "HTML", "Lessons", "TraceFormat", "WorkbookChecks"], exclude: ["Fixtures", "Golden"]),
        .testTarget(name: "CourseTests", dependencies: ["TestSupport", "Site", "Lessons", "Markdown", "AttentionEngine"]),
        .testTarget(name: "MathMLTests", dependencies: ["MathML", "HTML", "Diagnostics"]),
        .testTarget(name: "MarkdownTests", dependencies: ["Markdown", "Diagnostics"]),
    ]
)
