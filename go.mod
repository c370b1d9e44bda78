module github.com/httpstatus/httpstatus

go 1.26

require go.yaml.in/yaml/v3 v3.0.6

require github.com/yuin/goldmark v1.8.7
