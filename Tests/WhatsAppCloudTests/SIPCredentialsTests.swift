import Foundation
import Testing
@testable import WhatsAppCloud

/// `GET /{id}/settings?include_sip_credentials=true` as Meta documents it
/// (developers.facebook.com/documentation/business-messaging/whatsapp/calling/sip,
/// "Include SIP user password"): each server with `app_id` (a number) and
/// `sip_user_password`.
@Suite struct SIPCredentialsTests {
    private func decoded() throws -> SIPCredentials {
        let url = try #require(Bundle.module.url(forResource: "response_settings_sip_credentials.json", withExtension: nil,
                                                 subdirectory: "Fixtures"))
        return try JSONDecoder().decode(SIPCredentials.self, from: Data(contentsOf: url))
    }

    @Test func decodesMetasShapeLeniently() throws {
        let credentials = try decoded()
        #expect(credentials.status == "ENABLED")
        #expect(credentials.servers == [
            .init(hostname: "other.example.net", port: 5061, appID: "1019084797593892", password: "other-app-password"),
            .init(hostname: "sip.example.com", appID: "300000000000003", password: "pEwPqO3d92WCvcaI7FzmpOynBd0A97k3"),
            .init(hostname: "nopass.example.org"),
        ])
    }

    @Test func picksTheAppsServerThenTheDomainThenTheOnlyOne() throws {
        let credentials = try decoded()
        #expect(credentials.password(appID: "1019084797593892", domain: "sip.example.com") == "other-app-password")
        #expect(credentials.password(appID: "999", domain: "SIP.example.com") == "pEwPqO3d92WCvcaI7FzmpOynBd0A97k3")
        #expect(credentials.password(appID: nil, domain: "nopass.example.org") == nil)
        let one = SIPCredentials(status: "ENABLED", servers: [.init(hostname: "a.example.com", password: "only")])
        #expect(one.password(appID: nil, domain: "b.example.com") == "only")
        #expect(SIPCredentials(status: "DISABLED", servers: []).password(appID: nil, domain: "a.example.com") == nil)
    }

    @Test func readsAnythingWithoutTrapping() throws {
        for text in ["{}", #"{"calling":null}"#, #"{"calling":{"sip":"x"}}"#, #"{"calling":{"sip":{"servers":7}}}"#,
                     #"{"calling":{"sip":{"servers":[null,1,"a",{"hostname":{}}]}}}"#] {
            let credentials = try JSONDecoder().decode(SIPCredentials.self, from: Data(text.utf8))
            #expect(credentials.servers.isEmpty, "\(text)")
        }
    }

    @Test func theDescriptionNeverShowsThePassword() throws {
        let server = SIPCredentials.Server(hostname: "sip.example.com", port: 5061, appID: "1", password: "s3cret")
        #expect(!"\(server)".contains("s3cret") && "\(server)".contains("sip.example.com"))
    }
}
