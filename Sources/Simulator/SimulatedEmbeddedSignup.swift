public import Foundation
import NIOConcurrencyHelpers
public import WhatsAppCloud

/// The simulator's stand-in for Meta's Embedded Signup in the browser: the
/// outcome the next dialogs end with (a control knob) and the dialogs opened so
/// far (the newest 32), shared by the dialog route and the control API.
public final class SimulatedEmbeddedSignup: Sendable {
    /// How many dialog openings are kept for the control API.
    static let historyLimit = 32

    private struct State {
        var outcome = EmbeddedSignupOutcome.unset
        var dialogs: [EmbeddedSignupDialog] = []
        var sessions = 0
    }

    private let state = NIOLockedValueBox(State())
    /// The simulated Meta app id the dialog accepts.
    let appID: String

    /// Creates the stand-in for app `appID`.
    public init(appID: String) {
        self.appID = appID
    }

    /// Sets the outcome every following dialog ends with.
    public func setOutcome(_ outcome: EmbeddedSignupOutcome) {
        state.withLockedValue { $0.outcome = outcome }
    }

    /// The outcome following dialogs end with.
    public var outcome: EmbeddedSignupOutcome { state.withLockedValue { $0.outcome } }

    /// The dialogs opened so far, oldest first.
    public var dialogs: [EmbeddedSignupDialog] { state.withLockedValue { $0.dialogs } }

    /// Records `dialog` and returns the messages it posts.
    public func open(_ dialog: EmbeddedSignupDialog, now: Date = Date()) -> [String] {
        let (outcome, session) = state.withLockedValue { state -> (EmbeddedSignupOutcome, Int) in
            state.dialogs.append(dialog)
            if state.dialogs.count > Self.historyLimit { state.dialogs.removeFirst() }
            state.sessions += 1
            return (state.outcome, state.sessions)
        }
        return dialog.messages(appID: appID, outcome: outcome, sessionID: "es-session-\(session)", now: now)
    }

    /// The control API's view: the outcome and the dialogs opened.
    public var json: JSONValue {
        ["outcome": outcome.json, "dialogs": .array(dialogs.map(\.json))]
    }
}
