import CSofiaSIP
import CSofiaShims
import Glibc

/// Assembles a sofia tag list. Tags are built by the C shims (a tag's identity
/// is an address Swift cannot copy); the strings they point at are `strdup`ed
/// here and freed when the list dies. nua copies everything it keeps before a
/// call returns, so a `TagList` only has to outlive the one call it is used in.
/// Used only on the SIP thread.
final class TagList {
    private var strings: [UnsafeMutablePointer<CChar>] = []
    private var tags: [tagi_t] = []

    /// A C copy of `text` that lives as long as this list.
    func cString(_ text: String) -> UnsafeMutablePointer<CChar> {
        let copy = strdup(text)!
        strings.append(copy)
        return copy
    }

    /// Appends a tag built by a shim from one string.
    func add(_ text: String, _ builder: (UnsafePointer<CChar>) -> tagi_t) {
        tags.append(builder(cString(text)))
    }

    /// Appends a ready tag.
    func add(_ tag: tagi_t) {
        tags.append(tag)
    }

    /// Calls `body` with the list terminated by `TAG_END()`.
    func withTags<R>(_ body: (UnsafePointer<tagi_t>) -> R) -> R {
        let all = tags + [sofia_tag_end()]
        return all.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    deinit {
        for string in strings { free(string) }
    }
}
