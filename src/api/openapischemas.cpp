#include "openapi.h"
#include "openapischemabuilder.h"

#include "clienttext.h"

#include <QCborArray>

#include <initializer_list>
#include <utility>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

using namespace openapi;

QCborMap agentState()
{
    return enumOf({u"idle"_s, u"processing"_s, u"waiting"_s, u"error"_s, u"paused"_s});
}
QCborMap threadStatus()
{
    return enumOf({u"active"_s, u"completed"_s, u"error"_s, u"killed"_s});
}

} // namespace

QCborMap openApiSchemas()
{
    QCborMap s;
    s[u"HTTPError"_s] = object({{u"detail"_s, str()}});
    s[u"ValidationError"_s] = object({{u"type"_s, str()},
                                      {u"loc"_s, arrayOf(QCborMap{{u"type"_s, QCborArray{u"string"_s, u"integer"_s}}})},
                                      {u"msg"_s, str()},
                                      {u"input"_s, QCborMap{}},
                                      {u"ctx"_s, anyObject()}},
                                     {u"ctx"_s});
    s[u"HTTPValidationError"_s] = object({{u"detail"_s, arrayOf(ref(u"ValidationError"_s))}});

    const QCborMap history = extension(
        described(str(), u"ok"_s),
        u"`ok` while the history commits, else `degraded: <reason>` (injects are then refused with 507)"_s);
    s[u"Health"_s] = object({{u"status"_s, constant(u"healthy"_s)},
                             {u"organism"_s, str()},
                             {u"uptime_seconds"_s, number()},
                             {u"history"_s, history}},
                            {u"history"_s});
    s[u"AgentBacklog"_s] = object({{u"agent"_s, str()},
                                   {u"queued"_s, integer()},
                                   {u"inFlight"_s, integer()},
                                   {u"rateLimitWaitSeconds"_s,
                                    described(number(),
                                              u"LLM agents: how long the oldest call has waited for a "
                                              u"backend's rate limit"_s)}});
    s[u"Saturation"_s] = object(
        {{u"queueDepth"_s, described(integer(), u"messages waiting for a handler"_s)},
         {u"queueLimit"_s, described(integer(), u"max_queue_depth"_s)},
         {u"admissionLimit"_s, described(integer(), u"new injects are admitted below this"_s)},
         {u"injectsRefused"_s, described(integer(), u"since start-up"_s)},
         {u"saturated"_s, boolean()},
         {u"cause"_s, nullable(str())},
         {u"backlog"_s, arrayOf(ref(u"AgentBacklog"_s))},
         {u"messagesPerSecond"_s, described(number(), u"messages recorded, over the last 10 s"_s)},
         {u"handledLastMinute"_s, described(integer(), u"handler calls that ended in the last 60 s"_s)},
         {u"threadErrorsLastMinute"_s, described(integer(), u"threads that ended in error in the last 60 s"_s)},
         {u"handlerP50Ms"_s, nullable(described(number(), u"median duration of those calls"_s))},
         {u"handlerP95Ms"_s, nullable(described(number(), u"95th percentile of those calls"_s))}});
    s[u"OrganismInfo"_s] = object({{u"name"_s, str()},
                                   {u"status"_s, enumOf({u"starting"_s, u"running"_s, u"stopping"_s, u"stopped"_s})},
                                   {u"uptimeSeconds"_s, number()},
                                   {u"agentCount"_s, integer()},
                                   {u"activeThreads"_s, integer()},
                                   {u"totalMessages"_s, integer()},
                                   {u"identityConfigured"_s, boolean()},
                                   {u"saturation"_s, extension(ref(u"Saturation"_s), u"how full the organism is"_s)},
                                   {u"history"_s, history}},
                                  {u"saturation"_s, u"history"_s});
    s[u"OrganismConfig"_s] = object({{u"name"_s, str()},
                                     {u"port"_s, integer()},
                                     {u"thread_scheduling"_s, enumOf({u"breadth-first"_s, u"depth-first"_s})},
                                     {u"max_concurrent_pipelines"_s, integer()},
                                     {u"max_concurrent_handlers"_s, integer()},
                                     {u"listeners"_s, arrayOf(str())}});
    s[u"ReloadResult"_s] = object({{u"success"_s, boolean()},
                                   {u"added"_s, arrayOf(str())},
                                   {u"removed"_s, arrayOf(str())},
                                   {u"updated"_s, arrayOf(str())},
                                   {u"error"_s, nullable(str())},
                                   {u"warnings"_s,
                                    extension(arrayOf(str()),
                                              u"the configuration file's warnings (`file:line: key: "
                                              u"message`): unknown or misplaced keys, ignored settings"_s)}});
    s[u"StopResult"_s] = object({{u"success"_s, boolean()}, {u"status"_s, constant(u"stopping"_s)}});
    s[u"HistoryOrganism"_s] = object({{u"organism"_s, str()},
                                      {u"instance"_s, str()},
                                      {u"host"_s, str()},
                                      {u"pid"_s, integer()},
                                      {u"running"_s, boolean()},
                                      {u"self"_s, boolean()},
                                      {u"startedAt"_s, nullable(timestamp())},
                                      {u"lastSeen"_s, nullable(timestamp())}});
    s[u"HistoryOrganisms"_s] = object({{u"organisms"_s, arrayOf(ref(u"HistoryOrganism"_s))}, {u"count"_s, integer()}});
    s[u"StartResult"_s] = object({{u"success"_s, boolean()}, {u"status"_s, constant(u"running"_s)}});

    s[u"AgentInfo"_s] = object({{u"name"_s, str()},
                                {u"description"_s, str()},
                                {u"isAgent"_s, boolean()},
                                {u"peers"_s, arrayOf(str())},
                                {u"payloadClass"_s, str()},
                                {u"state"_s, agentState()},
                                {u"currentThread"_s, nullable(str())},
                                {u"queueDepth"_s, integer()},
                                {u"lastActivity"_s, nullable(timestamp())},
                                {u"messageCount"_s, described(integer(), u"Messages this listener sent"_s)},
                                {u"inFlight"_s, extension(integer(), u"handler invocations running now"_s)},
                                {u"lastError"_s, extension(nullable(str()), u"the last handler failure"_s)},
                                {u"handler"_s,
                                 extension(nullable(str()),
                                           u"how the listener is handled: builtin:<name>, exec: <command> "
                                           "or agent"_s)}},
                               {u"inFlight"_s, u"lastError"_s, u"handler"_s});
    s[u"AgentList"_s] = object({{u"agents"_s, arrayOf(ref(u"AgentInfo"_s))}, {u"count"_s, integer()}});
    s[u"AgentConfig"_s] = object({{u"name"_s, str()},
                                  {u"description"_s, str()},
                                  {u"isAgent"_s, boolean()},
                                  {u"peers"_s, arrayOf(str())},
                                  {u"payloadClass"_s, str()}});
    s[u"AgentSchema"_s] = object(
        {{u"schema"_s, described(str(), u"XSD text"_s)}, {u"contentType"_s, constant(u"application/xml"_s)}});
    s[u"AgentCommandResult"_s] = object({{u"success"_s, boolean()}, {u"agent"_s, str()}, {u"state"_s, agentState()}});

    s[u"CapabilityInfo"_s] = object({{u"name"_s, str()},
                                     {u"description"_s, str()},
                                     {u"isAgent"_s, boolean()},
                                     {u"peers"_s, arrayOf(str())},
                                     {u"rootTag"_s, str()}});
    s[u"CapabilityDetail"_s] = object({{u"name"_s, str()},
                                       {u"description"_s, str()},
                                       {u"isAgent"_s, boolean()},
                                       {u"peers"_s, arrayOf(str())},
                                       {u"rootTag"_s, str()},
                                       {u"payloadClass"_s, str()},
                                       {u"schemaXsd"_s, nullable(str())},
                                       {u"exampleXml"_s, nullable(str())}});
    s[u"CapabilityList"_s] = object({{u"capabilities"_s, arrayOf(ref(u"CapabilityInfo"_s))}, {u"count"_s, integer()}});

    s[u"ThreadInfo"_s] = object({{u"id"_s, str()},
                                 {u"status"_s, threadStatus()},
                                 {u"participants"_s, arrayOf(str())},
                                 {u"messageCount"_s, integer()},
                                 {u"createdAt"_s, timestamp()},
                                 {u"lastActivity"_s, nullable(timestamp())},
                                 {u"error"_s, nullable(str())}});
    s[u"ThreadList"_s] = object({{u"threads"_s, arrayOf(ref(u"ThreadInfo"_s))},
                                 {u"count"_s, integer()},
                                 {u"total"_s, integer()},
                                 {u"offset"_s, integer()},
                                 {u"limit"_s, integer()}});
    s[u"KillResult"_s] = object({{u"success"_s, boolean()}, {u"threadId"_s, str()}});
    s[u"RetryResult"_s] = extension(
        object({{u"success"_s, boolean()},
                {u"threadId"_s, str()},
                {u"status"_s, constant(u"active"_s)},
                {u"deliveries"_s, integer()}}),
        u"a thread in error runs again; `deliveries` is how many messages were queued again"_s);

    s[u"MessageInfo"_s] = object(
        {{u"id"_s, str()},
         {u"threadId"_s, str()},
         {u"from"_s, str()},
         {u"to"_s, str()},
         {u"payloadType"_s, str()},
         {u"payload"_s, described(anyObject(), u"The payload's fields, snake_case keys"_s)},
         {u"timestamp"_s, timestamp()},
         {u"slotIndex"_s, described(nullable(integer()), u"Global 1-based sequence number"_s)}});
    s[u"MessageList"_s] = object({{u"messages"_s, arrayOf(ref(u"MessageInfo"_s))},
                                  {u"count"_s, integer()},
                                  {u"total"_s, integer()},
                                  {u"offset"_s, integer()},
                                  {u"limit"_s, integer()}});

    QCborMap target = str();
    target[u"maxLength"_s] = kMaxClientTextLength;
    QCborMap threadId = nullable(str());
    threadId[u"maxLength"_s] = kMaxThreadIdLength;
    threadId[u"pattern"_s] = wire::threadIdPattern();
    s[u"InjectRequest"_s] = object({{u"to"_s, target},
                                    {u"payload"_s, anyObject()},
                                    {u"threadId"_s,
                                     described(threadId,
                                               u"Also accepted as thread_id. At most 128 letters, "
                                               u"marks, digits, punctuation or symbols (any "
                                               u"script); empty or null starts a new thread"_s)},
                                    {u"from"_s,
                                     extension(enumOf({u"api"_s, u"operator"_s}),
                                               u"who sends it: api (the default) or operator (a person "
                                               "at a control panel)"_s)}},
                                   {u"threadId"_s, u"from"_s});
    s[u"InjectResponse"_s] = object({{u"threadId"_s, str()}, {u"messageId"_s, str()}});
    s[u"BranchRequest"_s] = object({{u"messageId"_s, described(target, u"a message of the thread; also message_id"_s)},
                                    {u"payload"_s,
                                     described(nullable(anyObject()),
                                               u"the payload to send instead of "
                                               u"the message's own"_s)},
                                    {u"from"_s, enumOf({u"api"_s, u"operator"_s})}},
                                   {u"payload"_s, u"from"_s});

    s[u"HandlerRun"_s] = object(
        {{u"startedAt"_s, timestamp()},
         {u"endedAt"_s, nullable(timestamp())},
         {u"queueWaitMs"_s, described(integer(), u"from the message's timestamp to the start"_s)},
         {u"handlerMs"_s, nullable(integer())},
         {u"error"_s, nullable(str())}});
    s[u"LlmExchange"_s] = object(
        {{u"usage"_s, described(anyObject(), u"the attempt's usage event (UsageEventInfo, with cachedPromptTokens)"_s)},
         {u"prompt"_s, arrayOf(object({{u"role"_s, str()}, {u"content"_s, str()}}))},
         {u"response"_s, str()}});
    s[u"TraceHop"_s] = object({{u"message"_s, ref(u"MessageInfo"_s)},
                               {u"copied"_s, described(boolean(), u"a fork's copy of the source thread's history"_s)},
                               {u"run"_s, nullableRef(u"HandlerRun"_s)},
                               {u"llm"_s, arrayOf(ref(u"LlmExchange"_s))}});
    s[u"ThreadTimeline"_s] = object({{u"thread"_s, ref(u"ThreadInfo"_s)},
                                     {u"origin"_s,
                                      nullable(object({{u"kind"_s, enumOf({u"replay"_s, u"fork"_s})},
                                                       {u"threadId"_s, str()},
                                                       {u"messageId"_s, str()},
                                                       {u"firstSlotIndex"_s, integer()}}))},
                                     {u"total"_s, described(integer(), u"messages in the thread's history"_s)},
                                     {u"hops"_s, arrayOf(ref(u"TraceHop"_s))}});

    // WebSocket frames (documented under x-websockets; OpenAPI has no WebSocket operations).
    s[u"ConnectedEvent"_s] = object({{u"event"_s, constant(u"connected"_s)},
                                     {u"organism"_s, ref(u"OrganismInfo"_s)},
                                     {u"agents"_s, arrayOf(ref(u"AgentInfo"_s))},
                                     {u"threads"_s, arrayOf(ref(u"ThreadInfo"_s))}});
    s[u"MessageEvent"_s] = object({{u"event"_s, constant(u"message"_s)}, {u"message"_s, ref(u"MessageInfo"_s)}});
    s[u"AgentStateEvent"_s] = object({{u"event"_s, constant(u"agent_state"_s)},
                                      {u"agent"_s, str()},
                                      {u"state"_s, agentState()},
                                      {u"currentThread"_s, nullable(str())}});
    s[u"ThreadCreatedEvent"_s] = object(
        {{u"event"_s, constant(u"thread_created"_s)}, {u"thread"_s, ref(u"ThreadInfo"_s)}});
    s[u"ThreadUpdatedEvent"_s] = object({{u"event"_s, constant(u"thread_updated"_s)},
                                         {u"threadId"_s, str()},
                                         {u"status"_s, threadStatus()},
                                         {u"messageCount"_s, integer()}});
    s[u"ErrorEvent"_s] = object({{u"event"_s, constant(u"error"_s)},
                                 {u"threadId"_s, nullable(str())},
                                 {u"agent"_s, nullable(str())},
                                 {u"error"_s, str()},
                                 {u"timestamp"_s, timestamp()}});
    s[u"ReloadEvent"_s] = object({{u"event"_s, constant(u"reload"_s)},
                                  {u"success"_s, boolean()},
                                  {u"added"_s, arrayOf(str())},
                                  {u"removed"_s, arrayOf(str())},
                                  {u"updated"_s, arrayOf(str())},
                                  {u"warnings"_s, extension(arrayOf(str()), u"the configuration file's warnings"_s)}});
    s[u"CommandError"_s] = object({{u"event"_s, constant(u"error"_s)}, {u"error"_s, str()}});
    s[u"InjectedEvent"_s] = object(
        {{u"event"_s, constant(u"injected"_s)}, {u"thread_id"_s, str()}, {u"message_id"_s, str()}});
    return s;
}

} // namespace agentdesk
