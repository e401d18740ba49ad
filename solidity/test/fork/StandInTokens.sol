// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20Mock} from "../../src/test-helpers/ERC20Mock.sol";
import {NoBoolToken} from "../../src/test-helpers/NoBoolToken.sol";

/// @title UsdcStandIn
/// @notice Behaves like USDC for the fork tests' local mainnet stand-in: 6 decimals, bool
///         returns. Its runtime code is placed at USDC's mainnet address with anvil_setCode,
///         so name and symbol are constants (the constructor never runs there).
contract UsdcStandIn is ERC20Mock("USD Coin", "USDC") {
    /// @notice USDC's 6 decimals.
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice Token name.
    function name() public pure override returns (string memory) {
        return "USD Coin";
    }

    /// @notice Token symbol.
    function symbol() public pure override returns (string memory) {
        return "USDC";
    }
}

/// @title UsdtStandIn
/// @notice Behaves like USDT for the fork tests' local mainnet stand-in: 6 decimals and no
///         bool returned by transfer, transferFrom and approve.
contract UsdtStandIn is NoBoolToken {
    /// @notice USDT's 6 decimals.
    function decimals() external pure returns (uint8) {
        return 6;
    }

    /// @notice Token name.
    function name() external pure returns (string memory) {
        return "Tether USD";
    }

    /// @notice Token symbol.
    function symbol() external pure returns (string memory) {
        return "USDT";
    }
}
