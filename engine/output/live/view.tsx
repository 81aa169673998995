// The ink components of the live view. They only lay out a LiveView computed by snapshot.ts
// (already cut to the terminal) and read keys while a prompt is open; no engine logic here.
// Colour is a prop, not a guess from the environment, so NO_COLOR is honoured exactly.
import { useRef, useState } from 'react';
import { Box, Static, Text, useInput } from 'ink';
import type { LogLine, PromptState } from './model.js';
import type { LiveView, Tone, ViewRow } from './snapshot.js';

const TONE_COLOR: Record<Tone, string | undefined> = {
  plain: undefined,
  dim: 'gray',
  ok: 'green',
  changed: 'yellow',
  warn: 'yellow',
  error: 'red',
  hook: 'magenta',
};

const LOG_TONE: Record<LogLine['tone'], Tone> = { info: 'plain', ok: 'ok', warn: 'warn', error: 'error', hook: 'hook' };

function Styled(props: { tone?: Tone; color: boolean; bold?: boolean; children: string }) {
  if (!props.color) return <Text>{props.children}</Text>;
  return (
    <Text color={TONE_COLOR[props.tone ?? 'plain']} bold={props.bold}>
      {props.children}
    </Text>
  );
}

function HostRow({ row, widths, color }: { row: ViewRow; widths: LiveView['widths']; color: boolean }) {
  return (
    <Box>
      <Text>{row.host.padEnd(widths.host)} </Text>
      <Styled tone={row.tone === 'hook' ? 'hook' : 'plain'} color={color}>
        {row.task.padEnd(widths.task)}
      </Styled>
      <Text> {row.time.padStart(widths.time - 1)} </Text>
      <Styled tone={row.tone} color={color} bold={row.stuck}>
        {row.last}
      </Styled>
    </Box>
  );
}

export interface PromptProps {
  prompt: PromptState;
  color: boolean;
  onAnswer: (answer: string) => void;
  onInterrupt: () => void;
}

/** A one-line answer box; hidden input (echo: false) shows nothing, as Ansible's prompts do. */
export function PromptInput({ prompt, color, onAnswer, onInterrupt }: PromptProps) {
  // The typed text lives in a ref as well: key handlers can run before React re-renders, and
  // Enter must submit everything typed so far.
  const typed = useRef('');
  const [value, setValue] = useState('');
  const update = (v: string) => {
    typed.current = v;
    setValue(v);
  };
  useInput((input, key) => {
    if (key.ctrl && input === 'c') return onInterrupt();
    if (key.return) {
      const answer = typed.current;
      update('');
      onAnswer(answer);
      return;
    }
    if (key.backspace || key.delete) return update(typed.current.slice(0, -1));
    if (key.ctrl || key.meta || key.escape || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return;
    // Pasted or fast input arrives as one chunk, Enter included ("yes\r"): submit on it.
    const nl = input.search(/[\r\n]/);
    if (nl < 0) return update(typed.current + input);
    const answer = typed.current + input.slice(0, nl);
    update('');
    onAnswer(answer);
  });
  return (
    <Box flexDirection="column">
      <Styled tone="warn" color={color} bold>
        {`? ${prompt.message}`}
      </Styled>
      <Text>{`› ${prompt.echo ? value : ''}`}</Text>
    </Box>
  );
}

export interface LiveAppProps {
  view: LiveView;
  log: LogLine[];
  color: boolean;
  promptKey: number;
  onAnswer: (answer: string) => void;
  onInterrupt: () => void;
}

export function LiveApp({ view, log, color, promptKey, onAnswer, onInterrupt }: LiveAppProps) {
  const w = view.widths;
  return (
    <>
      <Static items={log}>
        {(l) => (
          <Styled key={l.id} tone={LOG_TONE[l.tone]} color={color}>
            {l.text}
          </Styled>
        )}
      </Static>
      <Box flexDirection="column" width={view.columns}>
        <Box justifyContent="space-between">
          <Styled color={color} bold>
            {view.title}
          </Styled>
          <Text>{view.elapsed}</Text>
        </Box>
        {view.batchLine ? <Text>{view.batchLine}</Text> : null}
        <Box>
          <Styled tone="ok" color={color}>
            {view.progress.bar}
          </Styled>
          <Text>{` ${view.progress.label}`}</Text>
        </Box>
        <Styled tone={view.failTone} color={color}>
          {view.failLine}
        </Styled>
        {view.task && !view.finished ? <Text>{view.task}</Text> : null}
        {view.rows.length ? (
          <Styled tone="dim" color={color}>
            {`${'HOST'.padEnd(w.host)} ${'TASK'.padEnd(w.task)} ${'TIME'.padStart(w.time - 1)} LAST`}
          </Styled>
        ) : null}
        {view.rows.map((r) => (
          <HostRow key={r.host} row={r} widths={w} color={color} />
        ))}
        {view.moreRows > 0 ? <Text>{`… and ${view.moreRows} more hosts in this batch`}</Text> : null}
        {view.failures.length ? (
          <Styled tone="error" color={color} bold>
            {`failed / unreachable (${view.failures.length + view.moreFailures}):`}
          </Styled>
        ) : null}
        {view.failures.map((f, i) => (
          <Styled key={i} tone={f.tone} color={color}>
            {`  ${f.text}`}
          </Styled>
        ))}
        {view.moreFailures > 0 ? <Text>{`  … ${view.moreFailures} earlier failures (listed above)`}</Text> : null}
        <Styled tone="dim" color={color}>
          {view.folded}
        </Styled>
        {view.prompt ? <PromptInput key={promptKey} prompt={view.prompt} color={color} onAnswer={onAnswer} onInterrupt={onInterrupt} /> : null}
      </Box>
    </>
  );
}
