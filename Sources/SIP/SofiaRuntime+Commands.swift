import CSofiaSIP
import CSofiaShims

extension SofiaRuntime {
    /// Executes one command from another thread's queue, on the SIP thread.
    func execute(_ command: SIPCommand) {
        switch command {
        case let .respond(handle, status, phrase, sdp, headers):
            guard let nh = handles[handle.rawValue] else { return }
            // Our SDP as last sent: the answer put in the ACK when a phone offers
            // in its 2xx to nua's offerless session refresh.
            if (200..<300).contains(status), let sdp { localSDP[handle.rawValue] = sdp }
            if respondInDialog(handle.rawValue, status, sdp: sdp, headers: headers) { return }
            if (200..<300).contains(status) {
                answered.insert(handle.rawValue)
                uasDialogs.insert(handle.rawValue)
            }
            respond(nh, status, phrase, sdp: sdp, headers: headers, contact: responseContact[handle.rawValue])
            if !cancelled.contains(handle.rawValue) { countSent(response: "INVITE", status: status) }
        case let .invite(handle, call):
            invite(handle.rawValue, call)
        case .inviteForks(let forks):
            // Each fork is a call of its own here; the caller picks the winner.
            for (handle, call) in forks { invite(handle.rawValue, call) }
        case .reconfigure(let config):
            access.reconfigure(config)
            self.config = config
        case .acceptingCalls(let accepting):
            acceptingCalls = accepting
        case let .notifyRefer(handle, status, terminated):
            notifyRefer(handle.rawValue, status: status, terminated: terminated)
        case .bye(let handle):
            guard let nh = handles[handle.rawValue] else { return }
            TagList().withTags { sofia_nua_bye(nh, $0) }
            countSent(request: "BYE")
        case .cancel(let handle):
            guard let nh = handles[handle.rawValue] else { return }
            TagList().withTags { sofia_nua_cancel(nh, $0) }
            countSent(request: "CANCEL")
        case let .info(handle, digit, duration):
            guard let nh = handles[handle.rawValue] else { return }
            let tags = TagList()
            tags.add("application/dtmf-relay", sofia_siptag_content_type_str)
            tags.add("Signal=\(digit)\r\nDuration=\(duration)\r\n", sofia_siptag_payload_str)
            tags.withTags { sofia_nua_info(nh, $0) }
            countSent(request: "INFO")
        case let .options(handle, uri, proxy):
            let tags = TagList()
            tags.add(uri, sofia_nutag_url)
            tags.add(uri, sofia_siptag_to_str)
            if let proxy { tags.add(proxy, sofia_nutag_proxy) }
            guard let nh = tags.withTags({ sofia_nua_handle(nua, UnsafeMutableRawPointer(bitPattern: UInt(handle.rawValue)), $0) }) else {
                emit(.requestResponse(handle, method: "OPTIONS", status: 500))
                return
            }
            handles[handle.rawValue] = nh
            TagList().withTags { sofia_nua_options(nh, $0) }
            countSent(request: "OPTIONS")
        case .destroy(let handle):
            forget(handle.rawValue)
        }
    }

    private func invite(_ id: UInt64, _ call: SIPOutgoingCall) {
        let handleTags = TagList()
        handleTags.add(call.requestURI, sofia_nutag_url)
        handleTags.add(call.to, sofia_siptag_to_str)
        handleTags.add(call.from, sofia_siptag_from_str)
        if let proxy = call.proxy { handleTags.add(proxy, sofia_nutag_proxy) }
        if call.metaNumber != nil {
            // Meta refuses re-INVITEs: no session timer is offered or refreshed on its dialog.
            handleTags.add(sofia_nutag_session_timer(0))
            handleTags.add("replaces", sofia_siptag_supported_str)
        }
        let hmagic = UnsafeMutableRawPointer(bitPattern: UInt(id))
        guard let nh = handleTags.withTags({ sofia_nua_handle(nua, hmagic, $0) }) else {
            emit(.terminated(SIPHandle(rawValue: id), status: 500, phrase: "Could not create handle"))
            return
        }
        handles[id] = nh
        sofia_nua_set_allow(nh, Self.dialogMethods)
        if let number = call.metaNumber { dialogPeers[id] = .meta(number) }
        if let credentials = call.credentials {
            self.credentials[id] = OutgoingDigest(username: credentials.username, password: credentials.password,
                                                  requestURI: call.requestURI)
        }
        let tags = TagList()
        tags.add("application/sdp", sofia_siptag_content_type_str)
        tags.add(call.sdp, sofia_siptag_payload_str)
        for header in call.headers { tags.add(header, sofia_siptag_header_str) }
        // Meta speaks TLS only: its in-dialog requests must come to the TLS listener.
        if call.metaNumber != nil, let contact = tlsListenerContact() { tags.add(contact, sofia_siptag_contact_str) }
        if let replaces = call.replaces.flatMap(replacesHeader) {
            tags.add(replaces.header, sofia_siptag_header_str)
            tags.add("Require: replaces", sofia_siptag_header_str)
        }
        tags.withTags { sofia_nua_invite(nh, $0) }
        countSent(request: "INVITE")
    }
}
