#pragma once
// A small asynchronous HTTP/1.1 server (Boost.Beast) that hands each request to
// one synchronous handler function.
//
// Threads: `io_threads` threads each run their own io_context; accepted sockets
// are spread across them round-robin and all I/O of one connection stays on
// its io_context. The handler never runs on an I/O thread: it runs on a
// separate pool of `handler_threads` threads, so database or HLR work may block
// it freely; the response is then posted back to the connection's io_context.
//
// Per request the server:
//  - parses the target with Boost.URL (path kept percent-encoded, query
//    parameters percent-decoded);
//  - takes the request id from X-Request-Id when it is 1..64 characters of
//    [A-Za-z0-9._-], else generates 16 random hex characters; echoes it as the
//    X-Request-Id response header and runs the handler inside a RequestIdScope;
//  - answers itself, without calling the handler: 413 problem "body_too_large"
//    when the body exceeds `body_limit` (or the problem code and limit of the
//    request's BodyLimitRule; a Content-Length over the limit is answered
//    before any of the body is read), 431 "headers_too_large" for oversized
//    headers, trailers or chunk lines (anything that would make the
//    connection's read buffer exceed `read_buffer_limit`), 400
//    "chunk_extension_too_large" for a chunk extension over
//    `chunk_extension_limit`, 501 "unsupported_transfer_encoding" for any
//    Transfer-Encoding but exactly one "chunked", 400 "ambiguous_body_length"
//    for Content-Length together with Transfer-Encoding (request smuggling),
//    400 "bad_request" for malformed HTTP or an unparsable target (all of
//    those close the connection), 500 "internal" if the handler throws;
//  - answers "Expect: 100-continue" with "100 Continue" once the header is
//    within limits, so clients send large bodies only when they will be read;
//  - refuses, before reading the body, requests over the request rates (429
//    "rate_limited" with Retry-After) and, at accept, connections over
//    max_connections or max_connections_per_address (503
//    "too_many_connections");
//  - adds "Cache-Control: no-store" to JSON responses (application/json or
//    any +json type) unless the handler set Cache-Control itself;
//  - logs one access line: method, path without the query string, status and
//    duration_ms. Never headers, query strings or bodies (they carry secrets).

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "simexit/common/rate_limiter.hpp"
#include "simexit/common/result.hpp"

namespace simexit::api {

struct HttpRequest {
  std::string method;  // as sent, e.g. "GET"
  std::string target;  // as sent, e.g. "/v1/lines/7701%20?x=1"
  std::string path;    // target without the query, still percent-encoded
  // Percent-decoded query parameters ('+' is not turned into a space). When a
  // name repeats, the first value wins.
  std::map<std::string, std::string> query;
  // Keys lower-case. Repeated headers are joined with ", ".
  std::map<std::string, std::string> headers;
  std::string body;
  std::string request_id;
  // The client's IP address, e.g. "127.0.0.1": the peer's, or behind a
  // trusted proxy the one it forwarded (HttpServerOptions::trusted_proxies).
  std::string remote_address;
  // Whether the client reached us over https: always when
  // HttpServerOptions::public_https, else when a trusted proxy says so with
  // X-Forwarded-Proto: https (anyone else's header is ignored). Decides the
  // Secure flag of the pages' cookies.
  bool https = false;

  // The header's value, or "" when absent. `lower_name` must be lower-case.
  std::string Header(std::string_view lower_name) const;
};

struct HttpResponse {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

// Called once per request on a handler thread, concurrently with other calls:
// it must be thread-safe. An exception becomes a 500 problem (and a log line).
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// A body limit of its own for some requests (uploads need more than JSON
// requests), chosen from the request line and the caller's credential when
// the header has been read, before any of the body.
struct BodyLimitRule {
  std::string method;  // exact, e.g. "POST"
  // The path and everything below it: "/v1/uploads" matches "/v1/uploads" and
  // "/v1/uploads/x", not "/v1/uploadsx". Compared with the percent-encoded
  // path, like the router's literal segments.
  std::string path;
  std::size_t limit = 0;
  // The code of the problem for a body over `limit`, e.g. "upload_too_large";
  // a code of the problem catalogue whose status is 413.
  std::string problem_code = "body_too_large";
  // When set, the rule applies only to requests it admits (typically: whose
  // credential is valid and may upload); others keep body_limit, so a client
  // without a valid credential cannot make the server hold megabytes. It gets
  // the request's head: method, target, path, headers, request_id and
  // remote_address filled, body and query empty. Called once per matching
  // request whose body may exceed body_limit (a Content-Length over it, or
  // chunked), on a handler thread, after the header is read and before any of
  // the body; it may look the credential up in the database but should stay
  // cheap (no password hashing). Thread-safe; an exception counts as "no".
  std::function<bool(const HttpRequest& head)> admit;
  // When not empty, the path must also end with this ("/activity" under
  // "/v1/operators"), so that routes below one prefix can have their own limits.
  std::string path_suffix = {};
};

struct HttpServerOptions {
  std::string address = "127.0.0.1";  // IPv4 or IPv6 literal
  unsigned short port = 8080;         // 0 = ephemeral; see HttpServer::port()
  int io_threads = 0;                 // 0 = std::thread::hardware_concurrency()
  int handler_threads = 4;            // >= 1
  std::size_t body_limit = std::size_t{64} * 1024;
  // Exceptions to body_limit; the first matching rule wins.
  std::vector<BodyLimitRule> body_limit_rules;
  // Paths whose segment after one of these prefixes is a secret (a link
  // token): the access log writes "***" in its place.
  std::vector<std::string> secret_path_prefixes;
  // Per connection, what the server buffers besides the body (whose bound is
  // its body limit): the header (at most header_limit bytes), each chunk
  // line, the trailers. A request that needs more is answered 431
  // "headers_too_large" and the connection closed.
  std::size_t header_limit = std::size_t{8} * 1024;
  std::size_t read_buffer_limit = std::size_t{16} * 1024;
  // Longest chunk extension (the ";name=value" part of a chunk line).
  std::size_t chunk_extension_limit = 256;
  // Slow clients cost a connection for at most these long: from a request's
  // first byte (from the accept, for a connection's first request) to the
  // end of its header, header_timeout; waiting for the next request on a
  // kept-alive connection, reading a body, or writing a response with no
  // completion, idle_timeout. The connection is then closed without an answer.
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds idle_timeout{30};
  // Open connections at most: one more is answered 503 "too_many_connections"
  // and closed, so slow clients cannot hold unbounded memory.
  std::size_t max_connections = 256;
  // The same per client address (0 = no such limit).
  std::size_t max_connections_per_address = 0;
  // Request rates (token buckets, checked when a request's header is in):
  // per client address, and per credential (the Authorization header's value
  // as sent, whether valid or not). Over either: 429 "rate_limited" with
  // Retry-After, and the connection is closed. A per_second of 0 turns the
  // limit off. Each table keeps at most rate_limit_max_keys buckets (see
  // RateLimiter).
  RateLimit rate_per_address;
  RateLimit rate_per_credential;
  std::size_t rate_limit_max_keys = 10000;
  // Reverse proxies whose X-Forwarded-For is believed: IP literals in
  // canonical form (ClientAddress::Parse(x)->text() == x; Start() refuses
  // others). For a request from one of them, the client's address is the last
  // hop of X-Forwarded-For (the one the proxy appended) when that is an IP
  // address; the header of any other peer is ignored. That address is the
  // one per-address request rates count and HttpRequest::remote_address
  // carries; connections per address still count the peer.
  std::vector<std::string> trusted_proxies;
  // The service's public URL is https (a TLS proxy in front of every
  // request): HttpRequest::https is then true whatever the headers say.
  bool public_https = false;
};

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, HttpHandler handler);
  // Calls Shutdown().
  ~HttpServer();  // NOLINT(bugprone-exception-escape): see http_server.cpp
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the I/O and handler threads. Call at most once.
  // Errors: kInvalidArgument "invalid_options" (handler_threads < 1,
  // io_threads < 0, address not an IP literal); kUnavailable "listen_failed"
  // when the socket cannot be opened, bound or listened on (message has the
  // reason, e.g. "Address already in use").
  Result<void> Start();

  // The bound port (the actual one when options.port was 0); 0 before Start().
  unsigned short port() const;

  // Graceful stop, idempotent, blocks until done: stops accepting (new
  // connections are refused), closes idle keep-alive connections, lets
  // requests already received finish and their responses be written (bounded
  // by 10 s; after that the remaining connections are dropped), then joins all
  // threads. A handler still running after the bound is waited for by the
  // final join: handlers must not block forever.
  void Shutdown();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace simexit::api
