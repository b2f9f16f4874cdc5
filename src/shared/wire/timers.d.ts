// The two timer functions every runtime this folder runs in has (Node, the webview's browser):
// declared here because src/shared compiles without the Node and DOM types.

type TimerHandle = unknown;
declare function setTimeout(handler: () => void, ms: number): TimerHandle;
declare function clearTimeout(handle: TimerHandle): void;
