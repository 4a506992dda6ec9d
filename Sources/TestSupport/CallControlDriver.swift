// Test support: the steps every harness around a `CallControl` takes — hand it
// an event, then wait until it has nothing left to do. Not shipped.

public import CallControl

/// A test harness that owns a `CallControl` on a manual clock.
public protocol CallControlDriver {
    /// The call control under test.
    var control: CallControl { get }
    /// The clock its timers run on.
    var clock: ManualClock { get }
}

extension CallControlDriver {
    /// A call-control webhook event, then settle.
    public func webhook(_ event: WhatsAppEvent) async {
        await control.handleWebhook(event)
        await settle()
    }

    /// A media event for `call`, then settle.
    public func mediaEvent(_ event: MediaEvent, call: String) async {
        await control.handleMedia(event, for: CallID(call))
        await settle()
    }

    /// Moves the manual clock on and lets what fell due run.
    public func advance(_ delay: Duration) async {
        await clock.advance(by: delay)
        await settle()
    }

    /// Waits until call control has nothing left to do.
    public func settle() async { await control.waitUntilIdle() }
}
