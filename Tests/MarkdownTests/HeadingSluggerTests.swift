import Markdown
import Testing

@Suite("Heading slugs")
struct HeadingSluggerTests {
    @Test("GitHub-style slugs", arguments: [
        ("Attention, step by step", "attention-step-by-step"),
        ("Scaled Dot-Product Attention", "scaled-dot-product-attention"),
        ("我想吃酸菜鱼", "我想吃酸菜鱼"),
        ("Lesson 1: 我想吃酸菜鱼", "lesson-1-我想吃酸菜鱼"),
        ("What is αᵢⱼ?", "what-is-αᵢⱼ"),
        ("W_Q and W_K", "w_q-and-w_k"),
        ("Café Crème", "café-crème"),
        ("  two  spaces ", "--two--spaces-"),
        ("Émoji 🎉 end", "émoji--end"),
        ("?!", "section"),
        ("", "section"),
    ])
    func slug(heading: String, slug: String) {
        #expect(HeadingSlugger.slug(heading) == slug)
    }

    @Test("repeats get -1, -2, … in document order")
    func unique() {
        var slugger = HeadingSlugger()
        let slugs = ["Exercises", "Intro", "Exercises", "exercises!", "Exercises 1", "Exercises"]
            .map { slugger.uniqueSlug(for: $0) }
        #expect(slugs == ["exercises", "intro", "exercises-1", "exercises-2", "exercises-1-1", "exercises-3"])
    }
}
