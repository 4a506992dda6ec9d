// Transfer legs, recognisable by their id wherever they are rung.

extension SIPLegID {
    /// What marks a leg call control places for a transfer (`<call id>/xfer<n>`).
    public static let transferMarker = "/xfer"

    /// True for a leg that rings a transfer's target or its fallback (the
    /// transferor again): a browser shows such a call as a transfer.
    public var isTransferLeg: Bool { rawValue.contains(Self.transferMarker) }
}
