// swift-tools-version:6.0
// attn — self-attention, traced step by step.
//
// Imports point one way:
//   attn (CLI) → TraceFormat, SpecLoader → AttentionEngine, Diagnostics
// AttentionEngine does no I/O and knows nothing of YAML, JSON or HTML.
import PackageDescription

let package = Package(
    name: "attn",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "attn", targets: ["attn"]),
        .library(name: "AttentionEngine", targets: ["AttentionEngine"]),
        .executable(name: "attn-workbook", targets: ["attn-workbook"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // OpenBLAS's CBLAS interface (Debian: libopenblas-dev). Only Matrix.swift calls it.
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // libcmark-gfm and its GFM extensions (Debian: libcmark-gfm-dev, libcmark-gfm-extensions-dev).
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // C helpers for libcmark-gfm: parsing on several threads (special_characters.c; the
        // executable must export the interposed function for libcmark-gfm's calls to reach
        // it) and a per-thread arena allocator (arena.c).
        .target(
            name: "CmarkSupport",
            linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic-symbol=cmark_manage_extensions_special_characters"], .when(platforms: [.linux]))]
        ),
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
        .target(name: "HTML"),
        // A documented TeX subset → MathML nodes.
        .target(name: "MathML", dependencies: ["HTML", "Diagnostics"]),
        // The one place that talks to libcmark-gfm: markdown → blocks with source locations.
        .target(name: "Markdown", dependencies: ["CCmarkGFM", "CmarkSupport", "Diagnostics", "HTML"]),
        // Lessons: front matter, attention and exercise blocks, math and trace references.
        .target(
            name: "Lessons",
            dependencies: ["AttentionEngine", "Diagnostics", "Markdown", "SpecLoader", .product(name: "Yams", package: "Yams")]
        ),
        // The site: lessons → static HTML pages with worked matrices, written atomically.
        .target(
            name: "Site",
            dependencies: ["AttentionEngine", "Diagnostics", "HTML", "Lessons", "Markdown", "MathML", "SpecLoader", "TraceFormat"]
        ),
        // The command-line tool.
        .executableTarget(
            name: "attn",
            dependencies: [
                "AttentionEngine", "Diagnostics", "Site", "SpecLoader", "TraceFormat",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `make bench`: times Attention.run on BERT-base sized layers, printing JSON lines.
        .executableTarget(name: "AttnBench", dependencies: ["AttentionEngine"]),
        // The workbook (issue 5): the student's exercises, reference solutions, the checks that
        // compare both with the engine, and the runner `attn check` starts once per exercise.
        .target(name: "Workbook"),
        .target(name: "WorkbookChecks", dependencies: ["AttentionEngine"]),
        .target(name: "WorkbookSolutions", dependencies: ["WorkbookChecks"]),
        .executableTarget(name: "attn-workbook", dependencies: ["Workbook", "WorkbookChecks", "WorkbookSolutions"]),
        .testTarget(name: "WorkbookTests", dependencies: ["WorkbookChecks", "WorkbookSolutions", "AttentionEngine", "Lessons", "attn", "attn-workbook"]),
        .testTarget(name: "EngineTests", dependencies: ["AttentionEngine", "SpecLoader"]),
        .testTarget(name: "SpecLoaderTests", dependencies: ["SpecLoader", "AttentionEngine", "Diagnostics"], exclude: ["Fixtures"]),
        .testTarget(name: "TraceFormatTests", dependencies: ["TraceFormat", "SpecLoader", "AttentionEngine"], exclude: ["Golden"]),
        .testTarget(name: "CLITests", dependencies: ["attn"]),
        .testTarget(name: "HTMLTests", dependencies: ["HTML"]),
        .testTarget(name: "LessonsTests", dependencies: ["Lessons", "AttentionEngine", "Diagnostics", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "SiteTests", dependencies: ["Site", "Lessons", "Diagnostics"], exclude: ["Fixtures", "Golden"]),
        .testTarget(name: "CourseTests", dependencies: ["Site", "Lessons", "Markdown", "AttentionEngine"]),
        .testTarget(name: "MathMLTests", dependencies: ["MathML", "HTML", "Diagnostics"]),
        .testTarget(name: "MarkdownTests", dependencies: ["Markdown", "HTML", "Diagnostics"]),
    ]
)
