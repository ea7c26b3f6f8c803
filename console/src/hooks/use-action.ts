import { useCallback, useState } from 'preact/hooks';

export interface Action<A extends unknown[]> {
  run: (...args: A) => Promise<boolean>;
  busy: boolean;
  /** The failure of the last run, shown next to its button; cleared when it runs again. */
  error: unknown;
  /** What the last successful run wants to say ("Saved."). */
  done: string | undefined;
  clear: () => void;
}

/** One button's work: busy while it runs, its error or its confirmation afterwards. */
export function useAction<A extends unknown[]>(work: (...args: A) => Promise<string | void>): Action<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const run = useCallback(
    async (...args: A) => {
      setBusy(true);
      setError(undefined);
      setDone(undefined);
      try {
        setDone((await work(...args)) || undefined);
        return true;
      } catch (err) {
        setError(err);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [work],
  );
  const clear = useCallback(() => {
    setError(undefined);
    setDone(undefined);
  }, []);
  return { run, busy, error, done, clear };
}
