import Testing
@testable import WebAgents
