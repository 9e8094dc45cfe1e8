package figures

func funnelVsGlass() Figure { return Figure{Name: "funnel-vs-glass"} }
