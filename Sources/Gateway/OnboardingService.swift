import CallControl
import Config
import Foundation
import Logging
import Store
import WhatsAppCloud

/// The onboarding API's back end: runs the Embedded Signup sequence, stores the
/// number with its token sealed, and hands it to call control and the Graph
/// client registry so it takes calls at once. Decides nothing about calls.
///
/// An actor; because its Graph steps suspend, a number being onboarded is
/// marked busy: a second signup or a removal of it meanwhile answers 409, and
/// at most ``maxConcurrentSignups`` signups run at once (503 beyond). A number
/// is served only after it is stored.
actor OnboardingService: OnboardingBackend {
    private let config: GatewayConfig
    private let onboarding: OnboardingConfig
    private let store: GatewayStore
    private let cipher: TokenCipher
    private let sequence: OnboardingSequence
    private let control: CallControl
    private let graphs: GraphClients
    private let makeClient: @Sendable (String, String) -> GraphClient
    private let logger: Logger
    /// Labels calls by number; told of every number served or removed here.
    private let metrics: GatewayMetrics?
    /// Phone number ids with a signup in progress.
    private var busy: Set<String> = []
    /// Each stored row as this node last read or wrote it. ``follow()`` acts only
    /// on rows that differ, so a row that cannot be served is reported once.
    private var seen: [String: StoredNumber] = [:]
    /// Signups allowed at once (each holds Graph requests open for seconds).
    static let maxConcurrentSignups = 4

    /// Creates the service; `makeClient` builds a Graph client for a phone number id and token.
    init(config: GatewayConfig, onboarding: OnboardingConfig, store: GatewayStore, control: CallControl,
         graphs: GraphClients, makeClient: @escaping @Sendable (String, String) -> GraphClient, logger: Logger,
         metrics: GatewayMetrics? = nil) {
        self.config = config
        self.onboarding = onboarding
        self.store = store
        self.cipher = TokenCipher(key: onboarding.encryptionKey.reveal())
        self.control = control
        self.graphs = graphs
        self.makeClient = makeClient
        self.logger = logger
        self.metrics = metrics
        var calling = config.whatsapp.calling
        calling.status = .enabled
        let target = WhatsAppNumberTarget(name: "", businessNumber: "", phoneNumberID: "", wabaID: nil,
                                          accessToken: Secret(""), desired: calling,
                                          additionalCodecs: config.whatsapp.additionalCodecs)
        self.sequence = OnboardingSequence(
            appID: onboarding.appID, appSecret: config.whatsapp.appSecret.reveal(),
            registrationPIN: onboarding.registrationPIN?.reveal(), desiredCalling: target.desiredCallingSettings,
            client: makeClient)
    }

    /// Serves every stored number. A row that cannot be opened (another key, damage)
    /// is logged and skipped; the gateway starts without it.
    func restore() async {
        let rows: [StoredNumber]
        do {
            rows = try await store.loadNumbers()
        } catch {
            logger.error("onboarded numbers could not be loaded", metadata: ["error": "\(error)"])
            return
        }
        for row in rows { await serveStored(row) }
        if !rows.isEmpty { logger.info("onboarded numbers restored", metadata: ["count": "\(rows.count)"]) }
    }

    /// Brings the served numbers in step with the store: serves the rows another
    /// node added or changed since the last look, and stops serving the rows it
    /// deleted. In a cluster every node runs this at each heartbeat, so a number
    /// onboarded on one node takes calls on all of them within seconds. A number
    /// with a signup or removal in progress here is left to that request. While
    /// the store is unreachable nothing changes.
    func follow() async {
        guard let rows = try? await store.loadNumbers() else { return }
        var stored: Set<String> = []
        for row in rows {
            stored.insert(row.phoneNumberID)
            guard seen[row.phoneNumberID] != row, !busy.contains(row.phoneNumberID) else { continue }
            if await serveStored(row) {
                logger.info("onboarded number taken from the store", metadata: [
                    "phone_number_id": "\(row.phoneNumberID)", "number": "\(row.name)"])
            }
        }
        for id in Array(seen.keys) where !stored.contains(id) && !busy.contains(id) {
            seen[id] = nil
            guard await control.removeNumber(id) != nil else { continue }
            await followNumbers()
            logger.info("onboarded number removed from the store by another node", metadata: ["phone_number_id": "\(id)"])
        }
    }

    func signup(_ signup: OnboardingSignup) async throws(OnboardingFailure) -> ListedNumber {
        guard !busy.contains(signup.phoneNumberID) else {
            throw OnboardingFailure(status: 409, "a signup for phone_number_id \(signup.phoneNumberID) is in progress")
        }
        guard busy.count < Self.maxConcurrentSignups else {
            throw OnboardingFailure(status: 503, "too many signups in progress; try again shortly")
        }
        busy.insert(signup.phoneNumberID)
        defer { busy.remove(signup.phoneNumberID) }
        if let conflict = await conflict(id: signup.phoneNumberID, name: signup.effectiveName) {
            throw OnboardingFailure(status: 409, conflict)
        }
        let number = try await sequence.run(signup)
        do {
            let row = StoredNumber(
                phoneNumberID: number.phoneNumberID, name: number.name, businessNumber: number.businessNumber,
                wabaID: number.wabaID, dialPrefix: number.dialPrefix, sealedToken: try cipher.seal(number.accessToken),
                keyID: cipher.keyID)
            try await store.saveNumber(row)
            seen[row.phoneNumberID] = row
        } catch {
            logger.error("onboarded number could not be stored", metadata: ["phone_number_id": "\(number.phoneNumberID)",
                                                                           "error": "\(error)"])
            throw OnboardingFailure(status: 500, "storing the number failed; it is not served")
        }
        await serve(number)
        logger.info("number onboarded", metadata: ["phone_number_id": "\(number.phoneNumberID)",
                                                   "business_number": "\(number.businessNumber)", "number": "\(number.name)"])
        return number.listed
    }

    func numbers() async -> [ListedNumber] {
        let served = await control.servedNumbers()
        return served.numbers.map { number in
            ListedNumber(name: number.name, phoneNumberID: number.phoneNumberID, businessNumber: number.businessNumber,
                         wabaID: number.wabaID,
                         source: served.runtime.contains(number.phoneNumberID) ? .onboarded : .config)
        }
    }

    func remove(phoneNumberID: String) async throws(OnboardingFailure) {
        guard !busy.contains(phoneNumberID) else {
            throw OnboardingFailure(status: 409, "a signup for phone_number_id \(phoneNumberID) is in progress")
        }
        let served = await control.servedNumbers()
        if served.numbers.contains(where: { $0.phoneNumberID == phoneNumberID }), !served.runtime.contains(phoneNumberID) {
            throw OnboardingFailure(status: 409, "phone_number_id \(phoneNumberID) is a config-file number; edit the config to remove it")
        }
        let deleted: Bool
        do {
            deleted = try await store.deleteNumber(phoneNumberID: phoneNumberID)
        } catch {
            throw OnboardingFailure(status: 500, "removing the number from the store failed")
        }
        seen[phoneNumberID] = nil
        let removed = await control.removeNumber(phoneNumberID)
        await followNumbers()
        guard deleted || removed != nil else {
            throw OnboardingFailure(status: 404, "no onboarded number with phone_number_id \(phoneNumberID)")
        }
        logger.info("onboarded number removed", metadata: ["phone_number_id": "\(phoneNumberID)"])
    }

    /// Opens a stored row's token and serves the number; logs why when it cannot.
    /// The row counts as seen either way.
    @discardableResult
    private func serveStored(_ row: StoredNumber) async -> Bool {
        seen[row.phoneNumberID] = row
        do throws(TokenCipher.OpenError) {
            let token = try cipher.open(row.sealedToken, keyID: row.keyID)
            let served = await serve(OnboardedNumber(
                name: row.name, phoneNumberID: row.phoneNumberID, businessNumber: row.businessNumber,
                wabaID: row.wabaID, accessToken: token, dialPrefix: row.dialPrefix))
            if !served {
                logger.error("onboarded number skipped: a config-file number has its phone_number_id or name",
                             metadata: ["phone_number_id": "\(row.phoneNumberID)", "number": "\(row.name)"])
            }
            return served
        } catch {
            logger.error("onboarded number skipped: its token cannot be opened with [onboarding] encryption_key",
                         metadata: ["phone_number_id": "\(row.phoneNumberID)", "error": "\(error)"])
            return false
        }
    }

    /// Gives `number` its Graph client, then hands it to call control; false when
    /// call control refuses it (a config-file number has its id or name).
    @discardableResult
    private func serve(_ number: OnboardedNumber) async -> Bool {
        guard await conflict(id: number.phoneNumberID, name: number.name) == nil else { return false }
        graphs.set(makeClient(number.phoneNumberID, number.accessToken), for: WhatsAppNumberID(number.phoneNumberID))
        let inbound = onboarding.inboundTarget.map {
            InboundConfig(target: $0, routes: [], ringTimeout: config.inbound.ringTimeout)
        }
        let entry = NumberConfig(
            name: number.name, phoneNumberID: number.phoneNumberID, businessNumber: number.businessNumber,
            wabaID: number.wabaID, accessToken: Secret(number.accessToken), inbound: inbound,
            additionalCodecs: config.whatsapp.additionalCodecs, calling: config.whatsapp.calling,
            dialPrefix: number.dialPrefix)
        let added = await control.addNumber(entry)
        await followNumbers()
        return added
    }

    /// Hands the numbers call control now serves to the metrics' `number` label.
    private func followNumbers() async {
        guard let metrics else { return }
        metrics.follow(numbers: await control.servedNumbers().numbers)
    }

    /// Why a number with `id` and `name` cannot be served: a config-file number
    /// has the id or the name, another onboarded number has the name, or the
    /// name is the metrics label of unknown numbers.
    private func conflict(id: String, name: String) async -> String? {
        if name == NumberConfig.unlabelledName {
            return "the name '\(name)' is reserved: /metrics counts unknown numbers under it"
        }
        let served = await control.servedNumbers()
        for number in served.numbers {
            let isConfig = !served.runtime.contains(number.phoneNumberID)
            if isConfig && number.phoneNumberID == id { return "phone_number_id \(id) is a config-file number" }
            if number.name == name && (isConfig || number.phoneNumberID != id) {
                return "the name '\(name)' is taken by \(isConfig ? "a config-file" : "another") number"
            }
        }
        return nil
    }
}
