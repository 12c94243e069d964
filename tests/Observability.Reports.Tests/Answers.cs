namespace Observability.Reports.Tests;

/// <summary>Backend answers in their documented JSON shapes (Tempo's protobuf JSON with 64-bit numbers as strings).</summary>
internal static class Answers
{
    /// <summary>Pyroscope's own flame graph example: a;b;e = 1, a;c = 2, a;c;d = 1.</summary>
    public const string PyroscopeWorkedExample = """
        {"version":1,
         "flamebearer":{"names":["total","a","c","d","b","e"],
                        "levels":[[0,4,0,0],[0,4,0,1],[0,1,0,4,0,3,2,2],[0,1,1,5,2,1,1,3]],
                        "numTicks":4,"maxSelf":2},
         "metadata":{"format":"single","spyName":"","sampleRate":1000000000,"units":"samples","name":"cpu"},
         "timeline":{"startTime":1764000000,"samples":[4],"durationDelta":15,"watermarks":null},
         "groups":null,"heatmap":null}
        """;

    public const string PyroscopeEmpty = """
        {"version":1,"flamebearer":{"names":["total"],"levels":[[0,0,0,0]],"numTicks":0,"maxSelf":0},
         "metadata":{"format":"single","spyName":"","sampleRate":100,"units":"","name":""},"timeline":null,"groups":null,"heatmap":null}
        """;

    /// <summary>Three traces of a run, unsorted, with the "root span not yet received" quirk on one.</summary>
    public const string TempoTraces = """
        {"traces":[
          {"traceID":"2f3e0cee77ae5dc9c17ade3689eb2e54","rootServiceName":"articles-api","rootTraceName":"GET /v1/articles",
           "startTimeUnixNano":"1764064800123000000","durationMs":250,
           "spanSets":[{"spans":[{"spanID":"563d623c76514f8e","startTimeUnixNano":"1764064800123000000","durationNanos":"250000000",
                                  "attributes":[{"key":"k6.testid","value":{"stringValue":"run-1"}}]}],"matched":1}]},
          {"traceID":"a1b2c3d4e5f60718293a4b5c6d7e8f90","rootServiceName":"articles-api","rootTraceName":"GET /v1/articles",
           "startTimeUnixNano":"1764064801000000000","durationMs":1200,
           "spanSets":[{"spans":[{"spanID":"0123456789abcdef","startTimeUnixNano":"1764064801000000000","durationNanos":"1200000000"}],"matched":1}]},
          {"traceID":"ffeeddccbbaa99887766554433221100","rootServiceName":"<root span not yet received>",
           "startTimeUnixNano":"1764064802000000000","durationMs":40,
           "spanSets":[{"spans":[{"spanID":"1111111111111111","startTimeUnixNano":"1764064802000000000","durationNanos":"40000000"}],"matched":1}]}
        ],
        "metrics":{"inspectedTraces":3,"inspectedBytes":"12345","completedJobs":1,"totalJobs":1}}
        """;

    /// <summary>DB spans below the run's server spans: one statement twice in one trace, another once.</summary>
    public const string TempoDbSpans = """
        {"traces":[
          {"traceID":"a1b2c3d4e5f60718293a4b5c6d7e8f90","rootServiceName":"articles-api","rootTraceName":"GET /v1/articles",
           "startTimeUnixNano":"1764064801000000000","durationMs":1200,
           "spanSets":[{"spans":[
              {"spanID":"aaaaaaaaaaaaaaa1","name":"SELECT articles","startTimeUnixNano":"1764064801010000000","durationNanos":"900000000",
               "attributes":[{"key":"db.system","value":{"stringValue":"postgresql"}},
                             {"key":"db.statement","value":{"stringValue":"SELECT a.id,\n  (SELECT COUNT(*) FROM comments c WHERE c.article_id = a.id)\nFROM articles a"}}]},
              {"spanID":"aaaaaaaaaaaaaaa2","name":"SELECT users","startTimeUnixNano":"1764064801950000000","durationNanos":"20000000",
               "attributes":[{"key":"db.system.name","value":{"stringValue":"postgresql"}},
                             {"key":"db.query.text","value":{"stringValue":"SELECT name FROM users WHERE id = $1"}}]}],"matched":2}]},
          {"traceID":"2f3e0cee77ae5dc9c17ade3689eb2e54","rootServiceName":"articles-api","rootTraceName":"GET /v1/articles",
           "startTimeUnixNano":"1764064800123000000","durationMs":250,
           "spanSets":[{"spans":[
              {"spanID":"bbbbbbbbbbbbbbb1","name":"SELECT articles","startTimeUnixNano":"1764064800130000000","durationNanos":"100000000",
               "attributes":[{"key":"db.system","value":{"stringValue":"postgresql"}},
                             {"key":"db.statement","value":{"stringValue":"SELECT a.id, (SELECT COUNT(*) FROM comments c WHERE c.article_id = a.id) FROM articles a"}}]}],"matched":1}]}
        ],
        "metrics":{"inspectedTraces":2}}
        """;
}
