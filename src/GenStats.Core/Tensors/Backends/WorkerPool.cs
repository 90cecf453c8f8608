namespace GenStats.Tensors.Backends;

/// <summary>
/// A small fork/join pool for the CPU kernels: dedicated background threads that spin for 100 µs
/// before sleeping, so the many short GEMMs of a training step do not each pay the thread-pool
/// wake-up latency. The caller runs tasks too. Which thread runs a task never changes a result:
/// every task writes its own disjoint output.
/// </summary>
internal static class WorkerPool
{
    private sealed class Job
    {
        public required Action<int> Body;
        public required int Tasks;
        public required int Threads;
        public int Next = -1;
        public int Remaining;
        public Exception? Error;
    }

    private static readonly object Gate = new();
    private static readonly List<Thread> Workers = new();
    private static Job? current;
    private static long generation;
    private static int busy;

    /// <summary>Runs body(0..tasks) on up to <paramref name="threads"/> threads and returns when all are done.</summary>
    public static void Run(int tasks, int threads, Action<int> body)
    {
        if (tasks <= 0) return;
        if (threads <= 1 || tasks == 1 || Interlocked.CompareExchange(ref busy, 1, 0) != 0)
        {
            // Serial when asked, or when another caller (or a nested call) holds the pool.
            for (int t = 0; t < tasks; t++) body(t);
            return;
        }
        try
        {
            EnsureWorkers(threads - 1);
            var job = new Job { Body = body, Tasks = tasks, Threads = threads, Remaining = tasks };
            lock (Gate)
            {
                current = job;
                generation++;
                Monitor.PulseAll(Gate);
            }
            Work(job);
            var spin = new SpinWait();
            while (Volatile.Read(ref job.Remaining) > 0) spin.SpinOnce(sleep1Threshold: -1);
            lock (Gate) current = null;
            if (job.Error is not null)
                throw new AggregateException("a parallel kernel task failed.", job.Error);
        }
        finally
        {
            Volatile.Write(ref busy, 0);
        }
    }

    private static void Work(Job job)
    {
        int t;
        while ((t = Interlocked.Increment(ref job.Next)) < job.Tasks)
        {
            try { job.Body(t); }
            catch (Exception e) { job.Error ??= e; }
            Interlocked.Decrement(ref job.Remaining);
        }
    }

    private static void EnsureWorkers(int count)
    {
        lock (Gate)
        {
            while (Workers.Count < count)
            {
                var th = new Thread(WorkerLoop) { IsBackground = true, Name = $"GenStats kernel worker {Workers.Count + 1}" };
                Workers.Add(th);
                th.Start(Workers.Count);
            }
        }
    }

    private static void WorkerLoop(object? indexObj)
    {
        int index = (int)indexObj!;
        long seen = 0;
        while (true)
        {
            Job? job = null;
            // Spin for a short while (100 µs) for the next job before sleeping: a training step
            // issues GEMMs a few tens of µs apart, and a sleeping thread takes longer to wake.
            long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + System.Diagnostics.Stopwatch.Frequency / 10_000;
            while (job is null && System.Diagnostics.Stopwatch.GetTimestamp() < deadline)
            {
                if (Volatile.Read(ref generation) != seen) job = TakeJob(ref seen, index);
                else Thread.SpinWait(8);
            }
            if (job is null)
            {
                lock (Gate)
                {
                    while (generation == seen) Monitor.Wait(Gate);
                }
                job = TakeJob(ref seen, index);
            }
            if (job is not null) Work(job);
        }
    }

    private static Job? TakeJob(ref long seen, int index)
    {
        lock (Gate)
        {
            seen = generation;
            // Workers beyond the caller's requested thread count stay idle for this job.
            var job = current;
            return job is not null && index < job.Threads ? job : null;
        }
    }
}
