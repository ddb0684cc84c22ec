module pprofdoctor.local/goprogs

go 1.19
