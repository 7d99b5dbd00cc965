import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOSSH

/// Offers the identity's key, once: asked again, the server refused it.
final class PrivateKeyAuthentication: NIOSSHClientUserAuthenticationDelegate {
    private let user: String
    private let identity: SSHIdentity
    private let target: String
    private var offered = false

    init(user: String, identity: SSHIdentity, target: String) {
        self.user = user
        self.identity = identity
        self.target = target
    }

    func nextAuthenticationType(
        availableMethods: NIOSSHAvailableUserAuthenticationMethods,
        nextChallengePromise: EventLoopPromise<NIOSSHUserAuthenticationOffer?>
    ) {
        guard !offered, availableMethods.contains(.publicKey) else {
            nextChallengePromise.fail(ExecutionError(
                .authenticationFailed, target: target,
                message: "\(target) refused the key \(identity.fingerprint) for user \(user): is it in the user's authorized_keys?"))
            return
        }
        offered = true
        nextChallengePromise.succeed(
            NIOSSHUserAuthenticationOffer(username: user, serviceName: "", offer: .privateKey(.init(privateKey: identity.key))))
    }
}

/// Checks the host's key against the policy and keeps what the host showed.
final class HostKeyCheck: NIOSSHClientServerAuthenticationDelegate {
    private let policy: HostKeyPolicy
    private let target: String
    let presented: NIOLockedValueBox<SSHHostKey?>

    init(policy: HostKeyPolicy, target: String, presented: NIOLockedValueBox<SSHHostKey?>) {
        self.policy = policy
        self.target = target
        self.presented = presented
    }

    func validateHostKey(hostKey: NIOSSHPublicKey, validationCompletePromise: EventLoopPromise<Void>) {
        let key = SSHHostKey(hostKey)
        presented.withLockedValue { $0 = key }
        do {
            try policy.check(key, target: target)
            validationCompletePromise.succeed(())
        } catch {
            validationCompletePromise.fail(error)
        }
    }
}

/// Completes `ready` once the user is authenticated, or fails it with the first error (or the
/// connection closing) before that; after that, closes the connection on any error.
final class ConnectionReadyHandler: ChannelInboundHandler {
    typealias InboundIn = Any

    private var ready: EventLoopPromise<Void>?
    private let target: String

    init(ready: EventLoopPromise<Void>, target: String) {
        self.ready = ready
        self.target = target
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is UserAuthSuccessEvent {
            ready?.succeed(())
            ready = nil
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(ExecutionError(.unreachable, target: target, message: "\(target) closed the connection during the SSH handshake"))
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        fail(ExecutionError(.unreachable, target: target, message: "the connection to \(target) ended"))
    }

    func fail(_ error: any Error) {
        ready?.fail(error)
        ready = nil
    }
}

/// One command on a session channel: sends `exec` and the input (then end of input), hands output
/// on as it arrives, and completes with the exit status once the channel has closed, so that all
/// output has been read by then.
final class ExecHandler: ChannelInboundHandler {
    typealias InboundIn = SSHChannelData

    private let command: String
    private let input: Data?
    private let onOutput: @Sendable (CommandOutput) -> Void
    private var done: EventLoopPromise<CommandResult>?
    private var exitStatus: Int32?
    private var signal: String?
    private let target: String

    init(command: String, input: Data?, target: String, onOutput: @escaping @Sendable (CommandOutput) -> Void, done: EventLoopPromise<CommandResult>) {
        self.command = command
        self.input = input
        self.target = target
        self.onOutput = onOutput
        self.done = done
    }

    func handlerAdded(context: ChannelHandlerContext) {
        context.channel.setOption(ChannelOptions.allowRemoteHalfClosure, value: true).assumeIsolated().whenFailure { [weak self] error in
            self?.fail(error)
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        let exec = SSHChannelRequestEvent.ExecRequest(command: command, wantReply: false)
        let channel = context.channel
        let input = self.input
        context.triggerUserOutboundEvent(exec).assumeIsolated().whenComplete { [weak self] result in
            switch result {
            case .success:
                // Input in pieces the channel's window takes, then end of input.
                var offset = 0
                while let input, offset < input.count {
                    let piece = input[input.index(input.startIndex, offsetBy: offset)..<input.index(input.startIndex, offsetBy: min(offset + 32_768, input.count))]
                    channel.write(SSHChannelData(type: .channel, data: .byteBuffer(ByteBuffer(bytes: piece))), promise: nil)
                    offset += piece.count
                }
                channel.flush()
                channel.close(mode: .output, promise: nil)
            case .failure(let error):
                self?.fail(error)
                channel.close(promise: nil)
            }
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard case .byteBuffer(let buffer) = message.data else { return }
        let bytes = Data(buffer.readableBytesView)
        switch message.type {
        case .channel: onOutput(.stdout(bytes))
        case .stdErr: onOutput(.stderr(bytes))
        default: break
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let status as SSHChannelRequestEvent.ExitStatus: exitStatus = Int32(truncatingIfNeeded: status.exitStatus)
        case let exit as SSHChannelRequestEvent.ExitSignal: signal = exit.signalName
        case ChannelEvent.inputClosed: break
        default: context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish()
    }

    private func finish() {
        guard let done else { return }
        self.done = nil
        if let signal {
            done.succeed(CommandResult(exitStatus: 128, signal: signal))
        } else if let exitStatus {
            done.succeed(CommandResult(exitStatus: exitStatus))
        } else {
            done.fail(ExecutionError(.unreachable, target: target, message: "the session on \(target) ended before the command reported its exit status"))
        }
    }

    func fail(_ error: any Error) {
        done?.fail(error)
        done = nil
    }
}

/// Passes bytes between a local TCP connection and an SSH `direct-tcpip` channel (port forwarding).
final class ForwardingHandler: ChannelDuplexHandler {
    typealias InboundIn = SSHChannelData
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = SSHChannelData

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard case .channel = message.type, case .byteBuffer(let buffer) = message.data else { return }
        context.fireChannelRead(wrapInboundOut(buffer))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(wrapOutboundOut(SSHChannelData(type: .channel, data: .byteBuffer(unwrapOutboundIn(data)))), promise: promise)
    }
}

/// Writes what one channel reads into another, and closes its partner when it closes. With
/// `halfClose`, the end of its input ends only the partner's output (a shell's stdin at its end:
/// the shell sees end of input while its output keeps coming).
final class RelayHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let partner: any Channel
    private let halfClose: Bool

    init(partner: any Channel, halfClose: Bool = false) {
        self.partner = partner
        self.halfClose = halfClose
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        partner.writeAndFlush(unwrapInboundIn(data), promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if halfClose, case ChannelEvent.inputClosed = event { partner.close(mode: .output, promise: nil) }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// An interactive session channel (`start` asks for a terminal, when given, and a login shell): turns the
/// channel's data into bytes for this process's output (its stderr stream straight to standard
/// error), bytes from input into channel data, and keeps the exit status.
final class ShellSessionHandler: ChannelDuplexHandler {
    typealias InboundIn = SSHChannelData
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = SSHChannelData

    private var done: EventLoopPromise<Int32>?
    private var exitStatus: Int32?

    init(done: EventLoopPromise<Int32>) {
        self.done = done
    }

    func handlerAdded(context: ChannelHandlerContext) {
        _ = context.channel.setOption(ChannelOptions.allowRemoteHalfClosure, value: true)
    }

    /// The requests that start the shell: sent once its output has somewhere to go.
    static func start(_ session: any Channel, terminal: SSHTerminal?) {
        if let terminal {
            session.triggerUserOutboundEvent(
                SSHChannelRequestEvent.PseudoTerminalRequest(
                    wantReply: false, term: terminal.term, terminalCharacterWidth: terminal.columns, terminalRowHeight: terminal.rows,
                    terminalPixelWidth: 0, terminalPixelHeight: 0, terminalModes: SSHTerminalModes([:])),
                promise: nil)
        }
        session.triggerUserOutboundEvent(SSHChannelRequestEvent.ShellRequest(wantReply: false), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard case .byteBuffer(let buffer) = message.data else { return }
        switch message.type {
        case .channel: context.fireChannelRead(wrapInboundOut(buffer))
        case .stdErr: FileHandle.standardError.write(Data(buffer.readableBytesView))
        default: break
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(wrapOutboundOut(SSHChannelData(type: .channel, data: .byteBuffer(unwrapOutboundIn(data)))), promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let status as SSHChannelRequestEvent.ExitStatus: exitStatus = Int32(truncatingIfNeeded: status.exitStatus)
        case is SSHChannelRequestEvent.ExitSignal: exitStatus = exitStatus ?? 255
        case ChannelEvent.inputClosed: break
        default: context.fireUserInboundEventTriggered(event)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish()
    }

    private func finish() {
        done?.succeed(exitStatus ?? 255)
        done = nil
    }
}
