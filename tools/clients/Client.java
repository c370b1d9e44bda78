// One request with java.net.http.HttpClient, for the client harness.
//
// Usage: java Client
//
// Prints {"version": ...}, then reads one job a line on stdin (JSON, with
// an id) and prints one answer a line as each job ends, with the same id:
// status, body_bytes, error (the exception's class and message, and its
// cause's class), elapsed_ms, none (nothing within the job's limit). Jobs
// run at once, each on a thread, each with an HttpClient of its own.
// The client runs with its defaults (HTTP/2 asked for by upgrade, no
// redirects followed), except the options the job asks for (follow,
// credentials). The job is flat JSON written by the harness; the JDK has
// no JSON parser, so it is read with a pattern per field.

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Client {
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : "";
    }

    static boolean flag(String json, String name) {
        return json.contains("\"" + name + "\":true");
    }

    static int number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    static String kind(Throwable e) {
        if (e instanceof ExecutionException && e.getCause() != null) {
            e = e.getCause();
        }
        String s = e.getClass().getName();
        if (e.getMessage() != null) {
            s += ": " + e.getMessage().replaceAll("127\\.0\\.0\\.1:\\d+", "HOST").replaceAll("/127\\.0\\.0\\.1", "HOST");
        }
        Throwable c = e.getCause();
        if (c != null && c != e) {
            s += " (" + c.getClass().getName() + ")";
        }
        return s;
    }

    static String answer(int status, long bodyBytes, String error, long elapsedMS, boolean none) {
        return "{\"status\":" + status + ",\"body_bytes\":" + bodyBytes + ",\"error\":\"" + error.replace("\"", "'")
                + "\",\"elapsed_ms\":" + elapsedMS + ",\"none\":" + none + "}";
    }

    static synchronized void print(String line) {
        System.out.println(line);
        System.out.flush();
    }

    // serve runs one job and prints its answer, or "none" at its limit.
    static void serve(String job) {
        String id = "\"id\":" + number(job, "id") + ",";
        int limit = number(job, "limit");
        HttpClient.Builder b = HttpClient.newBuilder();
        if (flag(job, "follow")) {
            b.followRedirects(HttpClient.Redirect.NORMAL);
        }
        String user = field(job, "user");
        if (!user.isEmpty()) {
            String pass = field(job, "pass");
            b.authenticator(new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, pass.toCharArray());
                }
            });
        }
        HttpClient client = b.build();
        String body = field(job, "body");
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(field(job, "url")));
        if (body.isEmpty()) {
            rb.method(field(job, "method"), HttpRequest.BodyPublishers.noBody());
        } else {
            rb.method(field(job, "method"), HttpRequest.BodyPublishers.ofString(body));
            rb.header("Content-Type", "application/x-www-form-urlencoded");
        }
        Matcher h = Pattern.compile("\\[\"([^\"]+)\",\"([^\"]*)\"\\]").matcher(job);
        while (h.find()) {
            rb.header(h.group(1), h.group(2));
        }
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> f = client.sendAsync(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
        String out;
        try {
            HttpResponse<byte[]> r = f.get(limit, TimeUnit.SECONDS);
            out = answer(r.statusCode(), r.body().length, "", (System.nanoTime() - start) / 1000000, false);
        } catch (TimeoutException e) {
            out = answer(0, 0, "", limit * 1000L, true);
        } catch (Exception e) {
            out = answer(0, 0, kind(e), (System.nanoTime() - start) / 1000000, false);
        }
        print("{" + id + out.substring(1));
    }

    public static void main(String[] args) throws Exception {
        print("{\"version\":\"Java " + Runtime.version() + "\"}");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = in.readLine()) != null;) {
            if (!line.isBlank()) {
                String job = line;
                Thread t = new Thread(() -> serve(job));
                t.setDaemon(true);
                t.start();
            }
        }
        System.exit(0);
    }
}
