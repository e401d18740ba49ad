// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

import {IRootChain} from "../../src/interfaces/IRootChain.sol";

/// @title ReentrantToken
/// @notice On transferFrom it re-enters `depositToken` once (lesson 6), recording whether the
///         nested call succeeded.
contract ReentrantToken is ERC20 {
    /// @notice The root chain to re-enter.
    IRootChain public target;
    /// @notice Whether the next transferFrom re-enters.
    bool public armed;
    /// @notice Whether the nested deposit went through.
    bool public reentered;
    /// @notice The revert data of the nested deposit when it failed.
    bytes public reentryError;

    constructor() ERC20("Reentrant", "RE") {}

    /// @notice Mints test tokens.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms one re-entry into `target_`, funding the nested deposit from this contract.
    function arm(IRootChain target_, uint256 amount) external {
        target = target_;
        armed = true;
        _mint(address(this), amount);
        _approve(address(this), address(target_), type(uint256).max);
    }

    /// @inheritdoc ERC20
    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        if (armed) {
            armed = false;
            // The nested deposit pulls tokens from this contract (pre-approved in the test).
            try target.depositToken(from, address(this), value) {
                reentered = true;
            } catch (bytes memory err) {
                reentryError = err;
            }
        }
        return super.transferFrom(from, to, value);
    }
}

/// @title FalseToken
/// @notice Deposits work, but `transfer` returns false without moving anything.
contract FalseToken is ERC20 {
    constructor() ERC20("False", "FLS") {}

    /// @notice Mints test tokens.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @inheritdoc ERC20
    function transfer(address, uint256) public pure override returns (bool) {
        return false;
    }
}

/// @title ReturnBombToken
/// @notice Deposits work, but `transfer` returns 200 kB of data: a caller that copies the
///         returndata pays for the memory (a "returnbomb").
contract ReturnBombToken is ERC20 {
    constructor() ERC20("Bomb", "BMB") {}

    /// @notice Mints test tokens.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @inheritdoc ERC20
    function transfer(address, uint256) public pure override returns (bool) {
        assembly {
            return(0, 200000)
        }
    }
}

/// @title GasBurningToken
/// @notice Deposits work, but `transfer` burns all the gas it gets.
contract GasBurningToken is ERC20 {
    /// @notice Counter written in the loop.
    uint256 public sink;

    constructor() ERC20("Burn", "BRN") {}

    /// @notice Mints test tokens.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @inheritdoc ERC20
    function transfer(address, uint256) public override returns (bool) {
        while (true) {
            ++sink;
        }
        return true;
    }
}
