// `permission_template*` keys: parsing, inheritance by `type = number` sections,
// `none`, and FILE:LINE errors for everything Meta would refuse.

import Testing
@testable import Config

@Suite("permission template keys")
struct PermissionTemplateConfigTests {
    static let config = TestSupport.minimal + """

        [whatsapp]
        permission_template = call_request
        permission_template_language = pt_BR
        permission_template_component = body: {caller}, Acme Support
        permission_template_component = header: company=Acme

        [sales]
        type = number
        phone_number_id = 111
        business_number = +15550100000

        [support]
        type = number
        phone_number_id = 222
        business_number = +15550100001
        permission_template = support_call
        permission_template_component = body: line={dialled}, from={business_number}

        [lab]
        type = number
        phone_number_id = 333
        business_number = +15550100002
        permission_template = none
        """

    @Test func whatsAppsTemplateIsInheritedAndANumberSetsItsOwnOrNone() throws {
        let config = try TestSupport.parse(Self.config)
        let shared = try #require(config.whatsapp.permissionTemplate)
        #expect(shared == PermissionTemplateConfig(name: "call_request", language: "pt_BR", components: [
            .init(type: "body", parameters: [.init(value: .substitution(.caller)), .init(value: .text("Acme Support"))]),
            .init(type: "header", parameters: [.init(name: "company", value: .text("Acme"))]),
        ]))
        #expect(config.number(named: "sales")?.permissionTemplate == shared)
        #expect(config.number(named: "support")?.permissionTemplate == PermissionTemplateConfig(
            name: "support_call", language: "en_US", components: [
                .init(type: "body", parameters: [.init(name: "line", value: .substitution(.dialled)),
                                                 .init(name: "from", value: .substitution(.businessNumber))]),
            ]))
        #expect(config.number(named: "lab")?.permissionTemplate == nil)
    }

    @Test func theImplicitNumberTakesWhatsAppsTemplate() throws {
        let config = try TestSupport.parse(TestSupport.minimal + "\n[whatsapp]\npermission_template = call_request")
        #expect(config.numbers.first?.permissionTemplate?.name == "call_request")
        #expect(try TestSupport.parse(TestSupport.minimal).numbers.first?.permissionTemplate == nil)
    }

    @Test func badValuesAreReportedWithTheirLine() {
        let head = TestSupport.minimal + "\n[whatsapp]\n"
        #expect(TestSupport.problems(head + "permission_template = Call-Request") == [
            "sip.conf:9: bad value 'Call-Request' for 'permission_template' in [whatsapp]: expected an approved "
                + "template's name: lowercase letters, digits and underscores (at most 512), or 'none'",
        ])
        #expect(TestSupport.problems(head + "permission_template = a\npermission_template_language = english") == [
            "sip.conf:10: bad value 'english' for 'permission_template_language' in [whatsapp]: expected a template "
                + "language code such as en_US, en, pt_BR or zh_HK",
        ])
        #expect(TestSupport.problems(head + "permission_template_language = en_US") == [
            "sip.conf:9: permission_template_language needs permission_template in the same section [whatsapp]",
        ])
        let bad = ["footer: x", "body", "body: {callee}", "body: x,,y", "body: a{b", "body: 1x=y",
                   "body: n=a, b", "body: " + String(repeating: "x", count: 257)]
        for value in bad {
            let problems = TestSupport.problems(head + "permission_template = a\npermission_template_component = " + value)
            #expect(problems.count == 1 && problems[0].hasPrefix("sip.conf:10: "), "\(value): \(problems)")
        }
        let five = String(repeating: "permission_template_component = body: x\n", count: 5)
        #expect(TestSupport.problems(head + "permission_template = a\n" + five) == [
            "sip.conf:14: at most 4 permission_template_component lines in [whatsapp]",
        ])
    }

    @Test func languageCodes() {
        for good in ["en", "en_US", "pt_BR", "zh_HK", "sr_Latn", "fil"] { #expect(ConfigValidator.isLanguageCode(good)) }
        for bad in ["", "EN", "en-US", "en_us", "e", "english", "en_US_x"] { #expect(!ConfigValidator.isLanguageCode(bad)) }
    }
}
