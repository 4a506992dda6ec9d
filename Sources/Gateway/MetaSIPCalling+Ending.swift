// How Meta's dialogs end, either way, and what call control is told.

import CallControl
import SIP

extension MetaSIPCalling {
    /// `terminate`: CANCEL an unanswered INVITE of ours, 480 to an unanswered INVITE
    /// of Meta's, BYE an answered dialog. A wacid not in the table (a call of a
    /// previous run, crash recovery) cannot be reached: sofia keeps no dialog state
    /// across restarts, so Meta ends it by its own timers, and no Graph `terminate`
    /// is sent (Graph refuses calls of SIP-mode numbers with 131055).
    func terminate(_ call: WACID, context: CallLogContext) {
        guard let handle = byWACID[call], var dialog = dialogs[handle] else {
            logger.notice("SIP-mode call not in progress here: left to Meta's timers", metadata: context.metadata)
            return
        }
        guard !dialog.ended else { return }
        dialog.ended = true
        dialogs[handle] = dialog
        switch (dialog.direction, dialog.answered) {
        case (_, true): stack.send(.bye(handle))
        case (.outbound, false): stack.send(.cancel(handle))
        case (.inbound, false):
            stack.send(.respond(handle, status: 480, phrase: "Temporarily Unavailable", sdp: nil, headers: []))
        }
        logger.info("ending the call with Meta", metadata: metadata(dialog, ["answered": "\(dialog.answered)"]))
    }

    /// Meta's BYE (`completed`) or CANCEL.
    func endedByMeta(_ handle: SIPHandle, completed: Bool) async {
        guard var dialog = dialogs[handle], let wacid = dialog.wacid, !dialog.ended else { return }
        dialog.ended = true
        dialogs[handle] = dialog
        logger.info(completed ? "BYE from Meta" : "CANCEL from Meta", metadata: metadata(dialog))
        await report(.terminate(wacid: wacid, completed: completed, duration: nil, errors: [], opaque: dialog.opaque),
                     number: dialog.number)
    }

    /// The stack freed the dialog: a `connect` still waiting fails as Meta's
    /// status says, a call not yet ended is reported ended, and the entry leaves.
    func terminated(_ handle: SIPHandle, status: Int, phrase: String) async {
        guard let dialog = dialogs[handle] else { return }
        remove(handle)
        if let pending = dialog.pending {
            let failure: WhatsAppFailure = switch MetaSIPOutcome(status: status, phrase: phrase) {
            case .failure(let failure): failure
            case .rejected, .noAnswer: .graph(code: 138004, httpStatus: 503, message: "Meta SIP \(status) \(phrase)")
            }
            pending.resume(returning: .failure(failure))
            return
        }
        guard !dialog.ended, let wacid = dialog.wacid else { return }
        let outcome = MetaSIPOutcome(status: status, phrase: phrase)
        let errors = dialog.answered || (200..<300).contains(status) ? [] : outcome.terminateErrors
        await report(.terminate(wacid: wacid, completed: dialog.answered, duration: nil, errors: errors,
                                opaque: dialog.opaque), number: dialog.number)
    }
}
