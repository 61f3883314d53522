/** Loading data in components: useAsync runs a call, re-runs it when its keys change, and exposes reload(). */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export type Async<T> = { value: T | undefined; error: Error | undefined; isLoading: boolean; reload: () => Promise<void> };

export const useAsync = <T>(fn: () => Promise<T>, keys: unknown[]): Async<T> => {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [isLoading, setLoading] = useState(true);
  const latest = useRef(0);
  const run = useCallback(async () => {
    const id = ++latest.current;
    setLoading(true);
    try {
      const v = await fn();
      if (id === latest.current) {
        setValue(() => v);
        setError(undefined);
      }
    } catch (err) {
      if (id === latest.current) setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      if (id === latest.current) setLoading(false);
    }
  }, keys);
  useEffect(() => {
    void run();
  }, [run]);
  return { value, error, isLoading, reload: run };
};

/** A clock that ticks every `ms` (countdowns). */
export const useNow = (ms = 1000) => {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
};

/** Runs a form action: busy flag, error, and a done message. */
export const useAction = () => {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const run = async (fn: () => Promise<string | void>) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const message = await fn();
      if (message) setDone(message);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, done, run, setDone };
};
