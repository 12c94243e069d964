// The fault tests start whole hosts and load them; they run serially (see FaultsCollection).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
