// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title FeeOnTransferToken
/// @notice An ERC-20 that burns `feeBps` basis points of every transfer, so the receiver
///         gets less than the amount sent. For tests and devnets only.
contract FeeOnTransferToken is ERC20 {
    /// @notice The fee in basis points (1/10,000) burnt on each transfer.
    uint256 public immutable feeBps;

    /// @param feeBps_ The fee in basis points.
    constructor(uint256 feeBps_) ERC20("Fee Token", "FEE") {
        feeBps = feeBps_;
    }

    /// @notice Mints `amount` to `to` (test token).
    /// @param to Receiver.
    /// @param amount Amount.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            uint256 fee = value * feeBps / 10_000;
            super._update(from, address(0), fee);
            value -= fee;
        }
        super._update(from, to, value);
    }
}
