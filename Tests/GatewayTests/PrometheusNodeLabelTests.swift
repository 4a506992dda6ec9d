import Testing

@testable import Gateway

@Suite struct PrometheusNodeLabelTests {
    @Test func everySampleGetsTheNodeLabelAndCommentsStay() {
        let text = """
            # HELP wagate_calls Calls
            # TYPE wagate_calls gauge
            wagate_calls 3
            wagate_sip_requests_total{method="INVITE",direction="in"} 7
            wagate_empty{} 1

            """
        let labelled = PrometheusNodeLabel.apply(text, node: "n\"1")
        #expect(labelled == """
            # HELP wagate_calls Calls
            # TYPE wagate_calls gauge
            wagate_calls{node="n\\"1"} 3
            wagate_sip_requests_total{node="n\\"1",method="INVITE",direction="in"} 7
            wagate_empty{node="n\\"1"} 1

            """)
    }
}
