import Foundation

/// Meta's error envelope, `{"error":{…}}`, read leniently.
struct GraphErrorEnvelope: Decodable {
    /// The `error` object.
    let error: Body

    /// The fields of `error`, each read leniently.
    struct Body: Decodable {
        let message: String?
        let type: String?
        let code: Int?
        let subcode: Int?
        let details: String?
        let fbtraceID: String?
        /// `error_data.limit_expiration_time`: Meta's name (in call permission limits)
        /// for when a limit ends, read when an error carries it.
        let limitExpiration: Double?

        enum CodingKeys: String, CodingKey {
            case message, type, code
            case subcode = "error_subcode"
            case errorData = "error_data"
            case fbtraceID = "fbtrace_id"
        }

        enum DataKeys: String, CodingKey {
            case details
            case limitExpiration = "limit_expiration_time"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            message = container.lenientString(.message)
            type = container.lenientString(.type)
            code = container.lenientInt(.code)
            subcode = container.lenientInt(.subcode)
            fbtraceID = container.lenientString(.fbtraceID)
            if let data = try? container.nestedContainer(keyedBy: DataKeys.self, forKey: .errorData) {
                details = data.lenientString(.details)
                limitExpiration = data.lenientString(.limitExpiration).flatMap(Double.init)
            } else {
                details = container.lenientString(.errorData)
                limitExpiration = nil
            }
        }
    }
}
